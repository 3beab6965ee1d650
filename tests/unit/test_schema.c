/*
 * test_schema.c - formats/schema.c: which column plays which role, for the
 * headers real exports have (English, simplified and traditional Chinese,
 * BI-tool renames), which kind an export is, --col overrides, and the
 * errors a user sees when a header cannot be bound.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "formats/schema.h"

#define MAX_HEADERS 32

/* A header as the CSV reader hands it over: (pointer, length) pairs. */
struct header {
	const char *names[MAX_HEADERS];
	size_t lens[MAX_HEADERS];
	size_t n;
};

/* Splits a '|'-separated list into a header (no NUL-terminated fields). */
static void header_from(struct header *h, const char *list)
{
	static char store[4096];
	size_t len = strlen(list);

	assert_true(len < sizeof(store));
	memcpy(store, list, len + 1);
	h->n = 0;
	for (char *p = store;;) {
		char *bar = strchr(p, '|');
		assert_true(h->n < MAX_HEADERS);
		h->names[h->n] = p;
		h->lens[h->n] = bar ? (size_t)(bar - p) : strlen(p);
		h->n++;
		if (!bar)
			break;
		p = bar + 1;
	}
}

static int bind_ov(enum record_kind kind, const char *list,
		   const struct schema_override *ov, size_t n_ov,
		   struct schema_binding *b, struct error *err)
{
	struct header h;

	header_from(&h, list);
	error_clear(err);
	memset(b, 0xAB, sizeof(*b));
	return schema_bind(kind, h.names, h.lens, h.n, ov, n_ov, b, err);
}

/* Binds list, which must succeed; returns the binding. */
static struct schema_binding bind_ok(enum record_kind kind, const char *list)
{
	struct schema_binding b;
	struct error err;

	if (bind_ov(kind, list, NULL, 0, &b, &err) != 0)
		fail_msg("binding \"%s\" failed: %s", list, err.msg);
	return b;
}

/* Binds list, which must fail; returns the message. */
static const char *bind_fails(enum record_kind kind, const char *list,
			      const struct schema_override *ov, size_t n_ov)
{
	static struct error err;
	struct schema_binding b;

	if (bind_ov(kind, list, ov, n_ov, &b, &err) != -1)
		fail_msg("binding \"%s\" succeeded as %s", list, schema_kind_name(b.kind));
	assert_true(err.msg[0] != '\0');
	return err.msg;
}

static void assert_contains(const char *msg, const char *part)
{
	if (!strstr(msg, part))
		fail_msg("message \"%s\" does not contain \"%s\"", msg, part);
}

/* Every role not listed in want (role, column pairs ending in -1) is -1. */
static void assert_columns(const struct schema_binding *b, ...)
{
	int want[ROLE_COUNT];
	va_list ap;

	for (int r = 0; r < ROLE_COUNT; r++)
		want[r] = -1;
	va_start(ap, b);
	for (;;) {
		int role = va_arg(ap, int);
		if (role < 0)
			break;
		want[role] = va_arg(ap, int);
	}
	va_end(ap);
	for (int r = 0; r < ROLE_COUNT; r++)
		if (b->column[r] != want[r])
			fail_msg("role %s: column %d, want %d", schema_role_name((enum role)r),
				 b->column[r], want[r]);
}

/* ------------------------------------------------------------------ names */

static void test_names(void **state)
{
	enum record_kind k = KIND_UNKNOWN;
	(void)state;

	for (int i = KIND_ORDERS; i < KIND_COUNT; i++) {
		assert_int_equal(schema_kind_parse(schema_kind_name((enum record_kind)i), &k), 0);
		assert_int_equal(k, i);
	}
	assert_string_equal(schema_kind_name(KIND_ORDERS), "orders");
	assert_string_equal(schema_kind_name(KIND_COMPLAINTS), "complaints");
	assert_string_equal(schema_kind_name(KIND_CHATS), "chats");
	assert_string_equal(schema_kind_name(KIND_UNKNOWN), "unknown");
	k = KIND_CHATS;
	assert_int_equal(schema_kind_parse("complaint", &k), -1);
	assert_int_equal(schema_kind_parse("unknown", &k), -1);
	assert_int_equal(k, KIND_CHATS);

	for (int r = 0; r < ROLE_COUNT; r++)
		assert_int_equal(schema_role_parse(schema_role_name((enum role)r)), r);
	assert_int_equal(schema_role_parse("shop_id"), ROLE_SHOP_ID);
	assert_int_equal(schema_role_parse("Shop ID"), -1);   /* roles are exact names */
	assert_int_equal(schema_role_parse("nope"), -1);
	assert_string_equal(schema_role_zh(ROLE_SHOP_NAME), "店铺名称");
	assert_string_equal(schema_role_zh(ROLE_TEXT), "投诉内容");

	assert_int_equal(schema_time_role(KIND_ORDERS), ROLE_CREATED_AT);
	assert_int_equal(schema_time_role(KIND_COMPLAINTS), ROLE_FILED_AT);
	assert_int_equal(schema_time_role(KIND_CHATS), ROLE_SENT_AT);

	assert_true(schema_role_required(KIND_COMPLAINTS, ROLE_TEXT));
	assert_true(schema_role_required(KIND_COMPLAINTS, ROLE_SHOP_ID));
	assert_false(schema_role_required(KIND_COMPLAINTS, ROLE_ORDER_ID));
	assert_true(schema_role_in_kind(KIND_COMPLAINTS, ROLE_ORDER_ID));
	assert_false(schema_role_in_kind(KIND_ORDERS, ROLE_TEXT));
	assert_false(schema_role_in_kind(KIND_UNKNOWN, ROLE_SHOP_ID));
}

/* --------------------------------------------------------------- headers */

static void test_english_orders(void **state)
{
	(void)state;
	struct schema_binding b = bind_ok(KIND_UNKNOWN,
		"order_id|shop_id|buyer_id|created_at|paid_at|amount|status|tracking_no|shipped_at|finished_at");
	assert_int_equal(b.kind, KIND_ORDERS);
	assert_int_equal(b.n_columns, 10);
	assert_columns(&b, ROLE_ORDER_ID, 0, ROLE_SHOP_ID, 1, ROLE_BUYER_ID, 2,
		       ROLE_CREATED_AT, 3, ROLE_PAID_AT, 4, ROLE_AMOUNT, 5, ROLE_STATUS, 6,
		       ROLE_TRACKING_NO, 7, ROLE_SHIPPED_AT, 8, ROLE_FINISHED_AT, 9, -1);

	/* Aliases, in another order, with a column nobody knows. */
	b = bind_ok(KIND_UNKNOWN, "memo|total|order_time|store_id|order_no");
	assert_int_equal(b.kind, KIND_ORDERS);
	assert_columns(&b, ROLE_AMOUNT, 1, ROLE_CREATED_AT, 2, ROLE_SHOP_ID, 3,
		       ROLE_ORDER_ID, 4, -1);
}

static void test_chinese_complaints(void **state)
{
	(void)state;
	/* A platform complaints export: no shop id, the shop name is the key. */
	struct schema_binding b = bind_ok(KIND_UNKNOWN,
		"订单编号|店铺名称|买家会员名|投诉内容|投诉时间");
	assert_int_equal(b.kind, KIND_COMPLAINTS);
	assert_int_equal(b.n_columns, 5);
	assert_columns(&b, ROLE_ORDER_ID, 0, ROLE_SHOP_ID, 1, ROLE_SHOP_NAME, 1,
		       ROLE_BUYER_ID, 2, ROLE_TEXT, 3, ROLE_FILED_AT, 4, -1);

	b = bind_ok(KIND_UNKNOWN,
		"投诉编号|订单号|店铺ID|店铺名称|投诉类型|投诉描述|申请时间|处理结果");
	assert_int_equal(b.kind, KIND_COMPLAINTS);
	assert_columns(&b, ROLE_COMPLAINT_ID, 0, ROLE_ORDER_ID, 1, ROLE_SHOP_ID, 2,
		       ROLE_SHOP_NAME, 3, ROLE_COMPLAINT_TYPE, 4, ROLE_TEXT, 5,
		       ROLE_FILED_AT, 6, ROLE_OUTCOME, 7, -1);
}

static void test_traditional_chinese(void **state)
{
	(void)state;
	struct schema_binding b = bind_ok(KIND_UNKNOWN,
		"訂單編號|店鋪名稱|買家會員名|投訴內容|投訴時間");
	assert_int_equal(b.kind, KIND_COMPLAINTS);
	assert_columns(&b, ROLE_ORDER_ID, 0, ROLE_SHOP_ID, 1, ROLE_SHOP_NAME, 1,
		       ROLE_BUYER_ID, 2, ROLE_TEXT, 3, ROLE_FILED_AT, 4, -1);

	b = bind_ok(KIND_UNKNOWN, "訂單編號|店鋪ID|下單時間|實付金額|訂單狀態");
	assert_int_equal(b.kind, KIND_ORDERS);
	assert_columns(&b, ROLE_ORDER_ID, 0, ROLE_SHOP_ID, 1, ROLE_CREATED_AT, 2,
		       ROLE_AMOUNT, 3, ROLE_STATUS, 4, -1);
}

static void test_normalisation(void **state)
{
	(void)state;
	/* BI tools rename "shop_id" to "Shop ID"; exports pad names. */
	struct schema_binding b = bind_ok(KIND_UNKNOWN,
		"Order ID|SHOP-ID| Created_At |Shop Name|Amount\r");
	assert_int_equal(b.kind, KIND_ORDERS);
	assert_columns(&b, ROLE_ORDER_ID, 0, ROLE_SHOP_ID, 1, ROLE_CREATED_AT, 2,
		       ROLE_SHOP_NAME, 3, ROLE_AMOUNT, 4, -1);

	b = bind_ok(KIND_UNKNOWN, "shopid|orderid|createdat");
	assert_int_equal(b.kind, KIND_ORDERS);
	assert_columns(&b, ROLE_SHOP_ID, 0, ROLE_ORDER_ID, 1, ROLE_CREATED_AT, 2, -1);

	b = bind_ok(KIND_COMPLAINTS, "店铺名称 |\t投诉内容| 投诉时间|订单ID");
	assert_columns(&b, ROLE_SHOP_ID, 0, ROLE_SHOP_NAME, 0, ROLE_TEXT, 1,
		       ROLE_FILED_AT, 2, ROLE_ORDER_ID, 3, -1);

	/* Normalisation is ASCII only: other characters must match exactly. */
	const char *msg = bind_fails(KIND_COMPLAINTS, "店铺名称|投訴内容x|投诉时间", NULL, 0);
	assert_contains(msg, "'text'");
}

static void test_canonical_name_beats_alias(void **state)
{
	(void)state;
	/* "shop" is an alias of shop_id; the real shop_id later wins. */
	struct schema_binding b = bind_ok(KIND_ORDERS, "shop|order_id|created_at|shop_id");
	assert_int_equal(b.column[ROLE_SHOP_ID], 3);
	/* Without a real one, the alias binds. */
	b = bind_ok(KIND_ORDERS, "shop|order_id|created_at");
	assert_int_equal(b.column[ROLE_SHOP_ID], 0);
	/* A column binds one role only. */
	b = bind_ok(KIND_CHATS, "session_id|shop_id|buyer_id|sender|sent_at|message|time");
	assert_int_equal(b.column[ROLE_TEXT], 5);
	assert_int_equal(b.column[ROLE_SENT_AT], 4);
}

/* A second column that names a bound role is left unread and noted, so the
 * commands can say which of the two they read. */
static void test_second_column_noted(void **state)
{
	struct schema_binding b;
	struct error err;
	(void)state;

	b = bind_ok(KIND_ORDERS, "order_id|shop_id|shop_id|created_at");
	assert_int_equal(b.column[ROLE_SHOP_ID], 1);
	assert_int_equal(b.also[ROLE_SHOP_ID], 2);
	/* Two aliases: the canonical Chinese name is read, whatever the order. */
	b = bind_ok(KIND_ORDERS, "订单编号|卖家ID|店铺ID|下单时间");
	assert_int_equal(b.column[ROLE_SHOP_ID], 2);
	assert_int_equal(b.also[ROLE_SHOP_ID], 1);
	assert_int_equal(b.also[ROLE_ORDER_ID], -1);
	/* One column a role: nothing to note. */
	b = bind_ok(KIND_ORDERS, "order_id|shop_id|shop_name|created_at");
	for (int r = 0; r < ROLE_COUNT; r++)
		assert_int_equal(b.also[r], -1);
	/* A column another role took is not a second candidate ("shop" is an
	 * alias of shop_id, but here --col made it the shop name). */
	const struct schema_override name[] = {{"shop_name", "shop"}};
	assert_int_equal(bind_ov(KIND_ORDERS, "order_id|shop_id|shop|created_at", name, 1, &b, &err), 0);
	assert_int_equal(b.column[ROLE_SHOP_NAME], 2);
	assert_int_equal(b.also[ROLE_SHOP_ID], -1);
	/* --col chose: the other column is not a question. */
	const struct schema_override pick[] = {{"shop_id", "卖家ID"}};
	assert_int_equal(bind_ov(KIND_ORDERS, "订单编号|店铺ID|卖家ID|下单时间", pick, 1, &b, &err), 0);
	assert_int_equal(b.column[ROLE_SHOP_ID], 2);
	assert_int_equal(b.also[ROLE_SHOP_ID], -1);
}

/* ------------------------------------------------------------------ kinds */

static void test_kind_recognition(void **state)
{
	(void)state;
	struct schema_binding b;

	b = bind_ok(KIND_UNKNOWN, "订单编号|店铺ID|下单时间|实付金额|订单状态|物流单号");
	assert_int_equal(b.kind, KIND_ORDERS);
	assert_columns(&b, ROLE_ORDER_ID, 0, ROLE_SHOP_ID, 1, ROLE_CREATED_AT, 2,
		       ROLE_AMOUNT, 3, ROLE_STATUS, 4, ROLE_TRACKING_NO, 5, -1);

	b = bind_ok(KIND_UNKNOWN, "complaint_id|order_id|shop_id|filed_at|type|content|result");
	assert_int_equal(b.kind, KIND_COMPLAINTS);
	assert_columns(&b, ROLE_COMPLAINT_ID, 0, ROLE_ORDER_ID, 1, ROLE_SHOP_ID, 2,
		       ROLE_FILED_AT, 3, ROLE_COMPLAINT_TYPE, 4, ROLE_TEXT, 5,
		       ROLE_OUTCOME, 6, -1);

	b = bind_ok(KIND_UNKNOWN, "会话ID|店铺ID|买家会员名|发送方|渠道|发送时间|消息内容");
	assert_int_equal(b.kind, KIND_CHATS);
	assert_columns(&b, ROLE_SESSION_ID, 0, ROLE_SHOP_ID, 1, ROLE_BUYER_ID, 2,
		       ROLE_SENDER, 3, ROLE_CHANNEL, 4, ROLE_SENT_AT, 5, ROLE_TEXT, 6, -1);

	/* A complaints export that also carries order columns is still one:
	 * it binds more roles as complaints than as orders. */
	b = bind_ok(KIND_UNKNOWN, "订单编号|店铺ID|下单时间|投诉时间|投诉内容");
	assert_int_equal(b.kind, KIND_COMPLAINTS);
	assert_int_equal(b.column[ROLE_FILED_AT], 3);

	/* The kind given wins over recognition. */
	b = bind_ok(KIND_ORDERS, "订单编号|店铺ID|下单时间|投诉时间|投诉内容");
	assert_int_equal(b.kind, KIND_ORDERS);
	assert_columns(&b, ROLE_ORDER_ID, 0, ROLE_SHOP_ID, 1, ROLE_CREATED_AT, 2, -1);
}

static void test_shop_name_as_key(void **state)
{
	(void)state;
	/* No shop id: the shop name is the key, for every kind. */
	struct schema_binding b = bind_ok(KIND_ORDERS, "order_id|store_name|created_at");
	assert_int_equal(b.column[ROLE_SHOP_ID], 1);
	assert_int_equal(b.column[ROLE_SHOP_NAME], 1);
	b = bind_ok(KIND_UNKNOWN, "session_id|店铺名称|buyer|sender|sent_at");
	assert_int_equal(b.kind, KIND_CHATS);
	assert_int_equal(b.column[ROLE_SHOP_ID], 1);

	/* Both: the id is the key, the name stays the name. */
	b = bind_ok(KIND_COMPLAINTS, "店铺名称|投诉内容|投诉时间|店铺ID");
	assert_int_equal(b.column[ROLE_SHOP_ID], 3);
	assert_int_equal(b.column[ROLE_SHOP_NAME], 0);

	/* Neither: an error naming shop_id. */
	const char *msg = bind_fails(KIND_COMPLAINTS, "投诉内容|投诉时间", NULL, 0);
	assert_contains(msg, "'shop_id'");
}

/* -------------------------------------------------------------- overrides */

static void test_overrides(void **state)
{
	struct schema_binding b;
	struct error err;
	(void)state;

	/* A header no alias knows. */
	const struct schema_override text[] = {{"text", "买家留言"}};
	assert_int_equal(bind_ov(KIND_COMPLAINTS, "店铺ID|买家留言|投诉时间", text, 1, &b, &err), 0);
	assert_int_equal(b.column[ROLE_TEXT], 1);

	/* Overrides make recognition possible, and win over aliases. */
	const struct schema_override two[] = {{"filed_at", "提交日期"}, {"text", "详细描述"}};
	assert_int_equal(bind_ov(KIND_UNKNOWN, "店铺名称|内容|提交日期|详细描述", two, 2, &b, &err), 0);
	assert_int_equal(b.kind, KIND_COMPLAINTS);
	assert_int_equal(b.column[ROLE_FILED_AT], 2);
	assert_int_equal(b.column[ROLE_TEXT], 3);
	assert_int_equal(b.column[ROLE_SHOP_ID], 0);

	/* An override's header is matched like any header ("Shop ID"). */
	const struct schema_override shop[] = {{"shop_id", "seller code"}};
	assert_int_equal(bind_ov(KIND_ORDERS, "order_id|Seller_Code|created_at|shop_id", shop, 1,
				 &b, &err), 0);
	assert_int_equal(b.column[ROLE_SHOP_ID], 1);

	/* The column an override takes is not bound to another role too. */
	const struct schema_override steal[] = {{"order_id", "shop_id"}};
	assert_int_equal(bind_ov(KIND_COMPLAINTS, "shop_id|店铺名称|投诉内容|投诉时间", steal, 1,
				 &b, &err), 0);
	assert_int_equal(b.column[ROLE_ORDER_ID], 0);
	assert_int_equal(b.column[ROLE_SHOP_ID], 1);
}

static void test_override_errors(void **state)
{
	const char *msg;
	(void)state;

	const struct schema_override bad_role[] = {{"shopid", "店铺ID"}};
	msg = bind_fails(KIND_COMPLAINTS, "店铺ID|投诉内容|投诉时间", bad_role, 1);
	assert_contains(msg, "--col shopid=店铺ID");
	assert_contains(msg, "unknown role 'shopid'");
	/* Recognising the kind reports the same error, not a vaguer one. */
	msg = bind_fails(KIND_UNKNOWN, "店铺ID|投诉内容|投诉时间", bad_role, 1);
	assert_contains(msg, "unknown role 'shopid'");

	const struct schema_override bad_header[] = {{"text", "备注"}};
	msg = bind_fails(KIND_COMPLAINTS, "店铺ID|投诉内容|投诉时间", bad_header, 1);
	assert_contains(msg, "--col text=备注");
	assert_contains(msg, "no column named '备注'");
	msg = bind_fails(KIND_UNKNOWN, "店铺ID|投诉内容|投诉时间", bad_header, 1);
	assert_contains(msg, "no column named '备注'");

	/* Error style: lowercase start, no final period. */
	assert_true(msg[0] < 'A' || msg[0] > 'Z');
	assert_int_not_equal(msg[strlen(msg) - 1], '.');
}

/* ----------------------------------------------------------------- errors */

static void test_missing_required_column(void **state)
{
	const char *msg;
	(void)state;

	msg = bind_fails(KIND_COMPLAINTS, "订单编号|店铺名称|投诉内容|备注", NULL, 0);
	assert_contains(msg, "complaints export");
	assert_contains(msg, "missing required column 'filed_at'");
	assert_contains(msg, "投诉时间");                       /* its usual header */
	assert_contains(msg, "headers found: 订单编号, 店铺名称, 投诉内容, 备注");
	assert_contains(msg, "--col filed_at=");

	/* Recognition explains against the closest kind. */
	msg = bind_fails(KIND_UNKNOWN, "订单编号|店铺名称|投诉内容", NULL, 0);
	assert_contains(msg, "complaints export");
	assert_contains(msg, "'filed_at'");
	assert_contains(msg, "headers found: 订单编号, 店铺名称, 投诉内容");

	msg = bind_fails(KIND_UNKNOWN, "order_id|shop_id|amount", NULL, 0);
	assert_contains(msg, "orders export");
	assert_contains(msg, "'created_at'");
	assert_contains(msg, "headers found: order_id, shop_id, amount");

	msg = bind_fails(KIND_CHATS, "session_id|shop_id|buyer_id|sent_at", NULL, 0);
	assert_contains(msg, "chats export");
	assert_contains(msg, "'sender'");

	/* err may be NULL: the return alone says it failed. */
	struct header h;
	struct schema_binding b;
	header_from(&h, "order_id|shop_id");
	assert_int_equal(schema_bind(KIND_ORDERS, h.names, h.lens, h.n, NULL, 0, &b, NULL), -1);
	assert_int_equal(schema_bind(KIND_UNKNOWN, h.names, h.lens, h.n, NULL, 0, &b, NULL), -1);
}

static void test_unknown_header_set(void **state)
{
	const char *msg;
	(void)state;

	msg = bind_fails(KIND_UNKNOWN, "foo|bar|baz", NULL, 0);
	assert_contains(msg, "cannot tell");
	assert_contains(msg, "--kind");

	/* A headerless file: the first data row is taken as the header. */
	msg = bind_fails(KIND_UNKNOWN, "1|2268318|2520377|pv|1511544070", NULL, 0);
	assert_contains(msg, "cannot tell");

	msg = bind_fails(KIND_UNKNOWN, "", NULL, 0);
	assert_contains(msg, "cannot tell");
}

/* A very wide header (exports with hundreds of columns) still binds. */
static void test_wide_header(void **state)
{
	static char names[600][16];
	const char *ptrs[600];
	size_t lens[600];
	struct schema_binding b;
	struct error err;
	(void)state;

	for (int i = 0; i < 600; i++) {
		snprintf(names[i], sizeof(names[i]), "col%d", i);
		ptrs[i] = names[i];
		lens[i] = strlen(names[i]);
	}
	ptrs[10] = "order_id";
	lens[10] = 8;
	ptrs[20] = "shop_id";
	lens[20] = 7;
	ptrs[30] = "created_at";
	lens[30] = 10;
	error_clear(&err);
	assert_int_equal(schema_bind(KIND_UNKNOWN, ptrs, lens, 600, NULL, 0, &b, &err), 0);
	assert_int_equal(b.kind, KIND_ORDERS);
	assert_int_equal(b.n_columns, 600);
	assert_columns(&b, ROLE_ORDER_ID, 10, ROLE_SHOP_ID, 20, ROLE_CREATED_AT, 30, -1);

	/* Roles bind however far right their column is. */
	ptrs[20] = "col20";
	lens[20] = 5;
	ptrs[590] = "店铺ID";
	lens[590] = strlen("店铺ID");
	ptrs[599] = "店铺名称";
	lens[599] = strlen("店铺名称");
	assert_int_equal(schema_bind(KIND_UNKNOWN, ptrs, lens, 600, NULL, 0, &b, &err), 0);
	assert_int_equal(b.kind, KIND_ORDERS);
	assert_columns(&b, ROLE_ORDER_ID, 10, ROLE_SHOP_ID, 590, ROLE_SHOP_NAME, 599,
		       ROLE_CREATED_AT, 30, -1);

	/* An override may name any column too. */
	const struct schema_override ov[] = {{"amount", "col555"}};
	assert_int_equal(schema_bind(KIND_ORDERS, ptrs, lens, 600, ov, 1, &b, &err), 0);
	assert_int_equal(b.column[ROLE_AMOUNT], 555);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_english_orders),
		cmocka_unit_test(test_chinese_complaints),
		cmocka_unit_test(test_traditional_chinese),
		cmocka_unit_test(test_normalisation),
		cmocka_unit_test(test_canonical_name_beats_alias),
		cmocka_unit_test(test_kind_recognition),
		cmocka_unit_test(test_shop_name_as_key),
		cmocka_unit_test(test_overrides),
		cmocka_unit_test(test_override_errors),
		cmocka_unit_test(test_missing_required_column),
		cmocka_unit_test(test_unknown_header_set),
		cmocka_unit_test(test_wide_header),
		cmocka_unit_test(test_second_column_noted),
	};
	return cmocka_run_group_tests_name("schema", tests, NULL, NULL);
}
