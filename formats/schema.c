#include "formats/schema.h"

#include <string.h>

struct role_def {
	const char *name;     /* canonical English header */
	const char *zh;       /* usual Chinese header */
	/* More aliases, '|'-separated, compared after normalisation. */
	const char *aliases;
};

static const struct role_def roles[ROLE_COUNT] = {
	[ROLE_ORDER_ID] = {"order_id", "订单编号",
		"order_no|order_number|orderid|order|订单号|订单ID|订单编码|主订单编号|訂單編號"},
	[ROLE_SHOP_ID] = {"shop_id", "店铺ID",
		"store_id|seller_id|shop|店铺编号|店铺id|卖家ID|商家ID|店鋪ID"},
	[ROLE_SHOP_NAME] = {"shop_name", "店铺名称",
		"store_name|seller_name|seller|shop_title|店铺名|店铺|卖家昵称|商家名称|店鋪名稱"},
	[ROLE_BUYER_ID] = {"buyer_id", "买家会员名",
		"buyer|buyer_nick|customer_id|customer|user_id|买家ID|买家昵称|买家|用户ID|買家會員名"},
	[ROLE_CREATED_AT] = {"created_at", "下单时间",
		"order_time|create_time|created|order_date|订单创建时间|创建时间|下單時間"},
	[ROLE_PAID_AT] = {"paid_at", "付款时间",
		"pay_time|payment_time|paid_time|支付时间|付款時間"},
	[ROLE_AMOUNT] = {"amount", "实付金额",
		"total|paid_amount|payment|order_amount|price|买家实际支付金额|订单金额|总金额|金额|實付金額"},
	[ROLE_STATUS] = {"status", "订单状态",
		"order_status|trade_status|交易状态|訂單狀態"},
	[ROLE_TRACKING_NO] = {"tracking_no", "物流单号",
		"tracking_number|tracking|waybill_no|waybill|express_no|运单号|快递单号|物流單號"},
	[ROLE_SHIPPED_AT] = {"shipped_at", "发货时间",
		"ship_time|shipping_time|delivery_time|發貨時間"},
	[ROLE_FINISHED_AT] = {"finished_at", "交易成功时间",
		"completed_at|success_time|finish_time|trade_end_time|确认收货时间|成交时间|交易结束时间|交易成功時間"},
	[ROLE_COMPLAINT_ID] = {"complaint_id", "投诉编号",
		"case_id|complaint_no|投诉单号|投诉ID|投訴編號"},
	[ROLE_FILED_AT] = {"filed_at", "投诉时间",
		"complaint_time|complained_at|filed_time|发起时间|申请时间|投訴時間"},
	[ROLE_COMPLAINT_TYPE] = {"complaint_type", "投诉类型",
		"type|category|complaint_category|投诉原因|投訴類型"},
	[ROLE_TEXT] = {"text", "投诉内容",
		"content|complaint_text|description|message|msg|投诉描述|问题描述|消息内容|聊天内容|内容|投訴內容"},
	[ROLE_OUTCOME] = {"outcome", "处理结果",
		"result|verdict|投诉结果|判定结果|處理結果"},
	[ROLE_SESSION_ID] = {"session_id", "会话ID",
		"conversation_id|session|chat_id|会话编号|會話ID"},
	[ROLE_SENDER] = {"sender", "发送方",
		"from|speaker|sender_role|发送者|发送人|發送方"},
	[ROLE_CHANNEL] = {"channel", "渠道",
		"medium|contact_channel|联系方式|联系渠道|渠道类型"},
	[ROLE_SENT_AT] = {"sent_at", "发送时间",
		"time|timestamp|message_time|msg_time|消息时间|时间|發送時間"},
};

/* Per kind: the roles it uses; required ones are marked. */
struct kind_role {
	enum role role;
	int required;
};

static const struct kind_role orders_roles[] = {
	{ROLE_ORDER_ID, 1}, {ROLE_SHOP_ID, 1}, {ROLE_SHOP_NAME, 0},
	{ROLE_BUYER_ID, 0}, {ROLE_CREATED_AT, 1}, {ROLE_PAID_AT, 0},
	{ROLE_AMOUNT, 0}, {ROLE_STATUS, 0}, {ROLE_TRACKING_NO, 0},
	{ROLE_SHIPPED_AT, 0}, {ROLE_FINISHED_AT, 0},
};

static const struct kind_role complaints_roles[] = {
	{ROLE_COMPLAINT_ID, 0}, {ROLE_ORDER_ID, 0}, {ROLE_SHOP_ID, 1},
	{ROLE_SHOP_NAME, 0}, {ROLE_BUYER_ID, 0}, {ROLE_FILED_AT, 1},
	{ROLE_COMPLAINT_TYPE, 0}, {ROLE_TEXT, 1}, {ROLE_OUTCOME, 0},
	{ROLE_FINISHED_AT, 0},
};

static const struct kind_role chats_roles[] = {
	{ROLE_SESSION_ID, 1}, {ROLE_SHOP_ID, 1}, {ROLE_SHOP_NAME, 0},
	{ROLE_BUYER_ID, 1}, {ROLE_SENDER, 1}, {ROLE_CHANNEL, 0},
	{ROLE_SENT_AT, 1}, {ROLE_TEXT, 0},
};

struct kind_def {
	const char *name;
	const struct kind_role *roles;
	size_t n_roles;
	enum role time_role;
};

#define KIND(n, r, t) { n, r, sizeof(r) / sizeof(r[0]), t }
static const struct kind_def kinds[KIND_COUNT] = {
	[KIND_UNKNOWN] = {"unknown", NULL, 0, ROLE_COUNT},
	[KIND_ORDERS] = KIND("orders", orders_roles, ROLE_CREATED_AT),
	[KIND_COMPLAINTS] = KIND("complaints", complaints_roles, ROLE_FILED_AT),
	[KIND_CHATS] = KIND("chats", chats_roles, ROLE_SENT_AT),
};

const char *schema_kind_name(enum record_kind kind)
{
	return kind < KIND_COUNT ? kinds[kind].name : "unknown";
}

int schema_kind_parse(const char *name, enum record_kind *out)
{
	for (int k = KIND_ORDERS; k < KIND_COUNT; k++)
		if (!strcmp(name, kinds[k].name)) {
			*out = (enum record_kind)k;
			return 0;
		}
	return -1;
}

const char *schema_role_name(enum role role)
{
	return role < ROLE_COUNT ? roles[role].name : "?";
}

const char *schema_role_zh(enum role role)
{
	return role < ROLE_COUNT ? roles[role].zh : "?";
}

int schema_role_parse(const char *name)
{
	for (int r = 0; r < ROLE_COUNT; r++)
		if (!strcmp(name, roles[r].name))
			return r;
	return -1;
}

static const struct kind_role *kind_role(enum record_kind kind, enum role role)
{
	if (kind <= KIND_UNKNOWN || kind >= KIND_COUNT)
		return NULL;
	for (size_t i = 0; i < kinds[kind].n_roles; i++)
		if (kinds[kind].roles[i].role == role)
			return &kinds[kind].roles[i];
	return NULL;
}

int schema_role_in_kind(enum record_kind kind, enum role role)
{
	return kind_role(kind, role) != NULL;
}

int schema_role_required(enum record_kind kind, enum role role)
{
	const struct kind_role *kr = kind_role(kind, role);
	return kr && kr->required;
}

size_t schema_kind_roles(enum record_kind kind, enum role *out, size_t cap)
{
	if (kind <= KIND_UNKNOWN || kind >= KIND_COUNT)
		return 0;
	size_t n = kinds[kind].n_roles < cap ? kinds[kind].n_roles : cap;
	for (size_t i = 0; i < n; i++)
		out[i] = kinds[kind].roles[i].role;
	return n;
}

enum role schema_time_role(enum record_kind kind)
{
	return kind < KIND_COUNT ? kinds[kind].time_role : ROLE_COUNT;
}

/*
 * Header names are compared after dropping ASCII space, '_' and '-' and
 * lowering ASCII case; multi-byte UTF-8 is compared as is. Real exports
 * pad names ("店铺名称 "), and BI tools rename "shop_id" to "Shop ID".
 */
static size_t normalise(const char *s, size_t len, char *out, size_t cap)
{
	size_t n = 0;
	for (size_t i = 0; i < len && n + 1 < cap; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == ' ' || c == '_' || c == '-' || c == '\t' || c == '\r' || c == '\n')
			continue;
		out[n++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	out[n] = '\0';
	return n;
}

static int names_match(const char *norm_header, size_t hlen, const char *name,
		       size_t nlen)
{
	char buf[128];
	size_t n = normalise(name, nlen, buf, sizeof(buf));
	return n == hlen && !memcmp(buf, norm_header, n);
}

/* Does the (normalised) header name this role, by canonical name or alias? */
static int header_is_role(const char *norm, size_t nlen, enum role role)
{
	const struct role_def *d = &roles[role];
	if (names_match(norm, nlen, d->name, strlen(d->name)) ||
	    names_match(norm, nlen, d->zh, strlen(d->zh)))
		return 1;
	for (const char *p = d->aliases; *p;) {
		const char *bar = strchr(p, '|');
		size_t len = bar ? (size_t)(bar - p) : strlen(p);
		if (names_match(norm, nlen, p, len))
			return 1;
		p = bar ? bar + 1 : p + len;
	}
	return 0;
}

static int find_header(const char *const *headers, const size_t *lens, size_t n,
		       const char *want)
{
	char a[256], b[256];
	size_t wl = normalise(want, strlen(want), b, sizeof(b));
	for (size_t i = 0; i < n; i++) {
		size_t hl = normalise(headers[i], lens[i], a, sizeof(a));
		if (hl == wl && !memcmp(a, b, hl))
			return (int)i;
	}
	return -1;
}

/*
 * Whether a role already holds column i. Asking the binding itself sets no
 * limit on the width of a header: a fixed "taken" array would leave columns
 * past its end unbound, and report a present shop_id as missing.
 */
static int column_taken(const struct schema_binding *b, size_t i)
{
	for (int r = 0; r < ROLE_COUNT; r++)
		if (b->column[r] >= 0 && (size_t)b->column[r] == i)
			return 1;
	return 0;
}

/*
 * Finds, for each role bound by name, an unbound column that names it too.
 * Reading the first of two is a guess (a file joined from two exports
 * repeats shop_id; 店铺ID beside 卖家ID may be two ids), and a silent guess
 * is how a table comes out wrong with nobody told.
 */
static void note_also(const struct kind_def *k, const char *const *headers,
		      const size_t *lens, size_t n, const struct schema_override *ov,
		      size_t n_ov, struct schema_binding *out)
{
	for (size_t j = 0; j < k->n_roles; j++) {
		enum role r = k->roles[j].role;
		int by_col = 0;
		for (size_t o = 0; o < n_ov; o++)
			by_col |= schema_role_parse(ov[o].role) == (int)r;
		if (out->column[r] < 0 || by_col)
			continue;
		for (size_t i = 0; i < n && out->also[r] < 0; i++) {
			char norm[256];
			if (column_taken(out, i))
				continue;
			size_t nl = normalise(headers[i], lens[i], norm, sizeof(norm));
			if (header_is_role(norm, nl, r))
				out->also[r] = (int)i;
		}
	}
}

static int bind_kind(enum record_kind kind, const char *const *headers,
		     const size_t *lens, size_t n,
		     const struct schema_override *ov, size_t n_ov,
		     struct schema_binding *out, struct error *err)
{
	const struct kind_def *k = &kinds[kind];

	out->kind = kind;
	out->n_columns = n;
	for (int r = 0; r < ROLE_COUNT; r++)
		out->column[r] = out->also[r] = -1;

	for (size_t i = 0; i < n_ov; i++) {
		int r = schema_role_parse(ov[i].role);
		if (r < 0)
			return error_set(err, NULL, "--col %s=%s: unknown role '%s'",
					 ov[i].role, ov[i].header, ov[i].role);
		int c = find_header(headers, lens, n, ov[i].header);
		if (c < 0)
			return error_set(err, NULL, "--col %s=%s: no column named '%s'",
					 ov[i].role, ov[i].header, ov[i].header);
		out->column[r] = c;
	}

	/* Canonical names first, then aliases, so "shop" cannot steal a column
	 * from a real "shop_id" that appears later in the header. */
	for (int pass = 0; pass < 2; pass++) {
		for (size_t j = 0; j < k->n_roles; j++) {
			enum role r = k->roles[j].role;
			if (out->column[r] >= 0)
				continue;
			for (size_t i = 0; i < n; i++) {
				char norm[256];
				if (column_taken(out, i))
					continue;
				size_t nl = normalise(headers[i], lens[i], norm, sizeof(norm));
				int hit = pass == 0
					? names_match(norm, nl, roles[r].name, strlen(roles[r].name)) ||
					  names_match(norm, nl, roles[r].zh, strlen(roles[r].zh))
					: header_is_role(norm, nl, r);
				if (hit) {
					out->column[r] = (int)i;
					break;
				}
			}
		}
	}

	note_also(k, headers, lens, n, ov, n_ov, out);

	if (out->column[ROLE_SHOP_ID] < 0 && out->column[ROLE_SHOP_NAME] >= 0)
		out->column[ROLE_SHOP_ID] = out->column[ROLE_SHOP_NAME];

	for (size_t j = 0; j < k->n_roles; j++) {
		enum role r = k->roles[j].role;
		if (!k->roles[j].required || out->column[r] >= 0)
			continue;
		char found[1024];
		size_t fl = 0;
		found[0] = '\0';
		for (size_t i = 0; i < n && fl + 8 < sizeof(found); i++) {
			int w = snprintf(found + fl, sizeof(found) - fl, "%s%.*s",
					 i ? ", " : "", (int)lens[i], headers[i]);
			if (w < 0)
				break;
			fl += (size_t)w;
			if (fl >= sizeof(found))
				fl = sizeof(found) - 1;
		}
		return error_set(err, NULL,
				 "%s export: missing required column '%s' (also recognised: %s, %s); "
				 "headers found: %s; use --col %s=HEADER",
				 k->name, roles[r].name, roles[r].zh, roles[r].aliases,
				 found, roles[r].name);
	}
	return 0;
}

static int count_bound(const struct schema_binding *b)
{
	int n = 0;
	for (int r = 0; r < ROLE_COUNT; r++)
		n += b->column[r] >= 0;
	return n;
}

int schema_bind(enum record_kind kind, const char *const *headers,
		const size_t *lens, size_t n,
		const struct schema_override *overrides, size_t n_overrides,
		struct schema_binding *out, struct error *err)
{
	if (kind != KIND_UNKNOWN)
		return bind_kind(kind, headers, lens, n, overrides, n_overrides, out, err);

	struct schema_binding best = {0}, b;
	int best_score = -1;
	for (int k = KIND_ORDERS; k < KIND_COUNT; k++) {
		if (bind_kind((enum record_kind)k, headers, lens, n, overrides,
			      n_overrides, &b, NULL) < 0)
			continue;
		int score = count_bound(&b);
		if (score > best_score) {
			best = b;
			best_score = score;
		}
	}
	if (best_score < 0) {
		/* Explain against the kind that came closest. */
		enum record_kind closest = KIND_ORDERS;
		int closest_score = -1;
		for (int k = KIND_ORDERS; k < KIND_COUNT; k++) {
			int score = 0;
			for (size_t j = 0; j < kinds[k].n_roles; j++) {
				char norm[256];
				for (size_t i = 0; i < n; i++) {
					size_t nl = normalise(headers[i], lens[i], norm, sizeof(norm));
					if (header_is_role(norm, nl, kinds[k].roles[j].role)) {
						score += kinds[k].roles[j].required ? 2 : 1;
						break;
					}
				}
			}
			if (score > closest_score) {
				closest = (enum record_kind)k;
				closest_score = score;
			}
		}
		bind_kind(closest, headers, lens, n, overrides, n_overrides, &b, err);
		if (err && closest_score <= 0)
			error_set(err, NULL, "cannot tell whether this is an orders, complaints "
				  "or chats export from its header; use --kind");
		return -1;
	}
	*out = best;
	return 0;
}
