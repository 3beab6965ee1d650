/*
 * schema.h - what each column of an export means.
 *
 * A schema binds header names to roles (shop_id, order_id, filed_at, text,
 * ...) through aliases in English and Chinese, for three kinds of export:
 * orders, complaints and chats. Matching ignores ASCII case, spaces, '_' and
 * '-' ("Shop ID" = "shop_id" = "shopid"). `--col ROLE=HEADER` overrides win
 * over aliases. When no column is a shop id but one is a shop name (店铺名称),
 * the shop name is the shop key.
 *
 * schema_bind() with KIND_UNKNOWN recognises the kind from the headers: the
 * kind whose required roles are all present, preferring the one that binds
 * the most roles. Canonical names win over aliases, then the leftmost
 * column; a second column that also names a role is left unread and noted
 * in the binding's also[]. A missing required column is an error naming the column,
 * its aliases and the headers that were found.
 *
 * Everything here is static tables; nothing is allocated.
 */
#ifndef TOUSU_SCHEMA_H
#define TOUSU_SCHEMA_H

#include <stddef.h>

#include "formats/error.h"

enum record_kind {
	KIND_UNKNOWN = 0,
	KIND_ORDERS,
	KIND_COMPLAINTS,
	KIND_CHATS,
	KIND_COUNT
};

enum role {
	ROLE_ORDER_ID,
	ROLE_SHOP_ID,
	ROLE_SHOP_NAME,
	ROLE_BUYER_ID,
	ROLE_CREATED_AT,     /* orders: when the order was placed */
	ROLE_PAID_AT,
	ROLE_AMOUNT,
	ROLE_STATUS,
	ROLE_TRACKING_NO,
	ROLE_SHIPPED_AT,
	ROLE_FINISHED_AT,    /* trade succeeded (交易成功) or closed */
	ROLE_COMPLAINT_ID,
	ROLE_FILED_AT,       /* complaints: when it was filed */
	ROLE_COMPLAINT_TYPE, /* the platform's own type (投诉类型) */
	ROLE_TEXT,           /* complaint text or chat message */
	ROLE_OUTCOME,        /* 成立 / 不成立 */
	ROLE_SESSION_ID,
	ROLE_SENDER,         /* buyer or seller */
	ROLE_CHANNEL,        /* 旺旺 chat, 电话 phone, 短信 SMS */
	ROLE_SENT_AT,
	ROLE_COUNT
};

struct schema_binding {
	enum record_kind kind;
	int column[ROLE_COUNT];  /* 0-based column index, -1 when absent */
	/* An unbound column that names the same role (a repeated name, or a
	 * second alias: 店铺ID and 卖家ID), -1 when none: the role read the
	 * first, and the caller says so. -1 for roles set by --col. */
	int also[ROLE_COUNT];
	size_t n_columns;        /* columns in the header */
};

/* One `--col ROLE=HEADER` from the command line. */
struct schema_override {
	const char *role;
	const char *header;
};

/* "orders", "complaints", "chats" or "unknown". */
const char *schema_kind_name(enum record_kind kind);

/* Parses a kind name (the reverse of schema_kind_name); -1 if unknown. */
int schema_kind_parse(const char *name, enum record_kind *out);

/* The role's canonical English header ("shop_id"). */
const char *schema_role_name(enum role role);

/* The role's usual Chinese header in a platform export ("店铺ID"). */
const char *schema_role_zh(enum role role);

/* The role whose canonical name is name, or -1. */
int schema_role_parse(const char *name);

/* Whether kind uses role at all / requires it. */
int schema_role_in_kind(enum record_kind kind, enum role role);
int schema_role_required(enum record_kind kind, enum role role);

/* Writes the roles kind uses, in their usual column order; returns how many. */
size_t schema_kind_roles(enum record_kind kind, enum role *out, size_t cap);

/* The role whose value is the record's time (orders: created_at). */
enum role schema_time_role(enum record_kind kind);

/*
 * Binds headers[0..n-1] (UTF-8, lens[i] bytes each, BOM already removed)
 * for kind, or recognises the kind when kind is KIND_UNKNOWN. Overrides
 * naming a role or header that does not exist are errors. Returns 0, or -1
 * with err->msg filled (err->file is left for the caller to set).
 */
int schema_bind(enum record_kind kind, const char *const *headers,
		const size_t *lens, size_t n,
		const struct schema_override *overrides, size_t n_overrides,
		struct schema_binding *out, struct error *err);

#endif
