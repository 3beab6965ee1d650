/*
 * sample_texts.h - the words `tousu sample` puts into its synthetic exports.
 *
 * Tables only, plus three pure text helpers: complaint templates for each of
 * the 12 complaint types (simplified Chinese, a few written in traditional
 * Chinese, English, clauses to add a second type, clauses that deny a type),
 * chat lines for buyers and sellers, parts for shop names and buyer nicks,
 * items, couriers, emoji and the pinyin noise that scraped text carries.
 * Choosing among them is the caller's business: nothing here is random, so
 * the generator's seed alone decides what is written.
 *
 * Templates are UTF-8 with slots that sample_fill() replaces:
 *	%d days   %h hours   %n a small count   %a amount in yuan
 *	%i item   %c courier %t tracking number %s shop name   %% a '%'
 *
 * Everything is static and read-only, except the simplified-to-traditional
 * lookup table that sample_to_traditional() builds on its first call (call
 * it from one thread). No function allocates memory or can fail.
 */
#ifndef TOUSU_SAMPLE_TEXTS_H
#define TOUSU_SAMPLE_TEXTS_H

#include <stddef.h>
#include <stdint.h>

/* The classifier's taxonomy (DOMAIN.md), in its order. */
enum sample_type {
	SAMPLE_FAKE_SHIPMENT,
	SAMPLE_LATE_SHIPMENT,
	SAMPLE_QUALITY,
	SAMPLE_NOT_AS_DESCRIBED,
	SAMPLE_DAMAGED_LOST,
	SAMPLE_LOGISTICS,
	SAMPLE_COUNTERFEIT,
	SAMPLE_AFTER_SALES,
	SAMPLE_REFUND,
	SAMPLE_SHIPPING_FEE,
	SAMPLE_ATTITUDE,
	SAMPLE_HARASSMENT,
	SAMPLE_TYPE_COUNT
};

struct sample_strings {
	const char *const *s;
	size_t n;
};

struct sample_type_texts {
	const char *id;             /* "fake_shipment" */
	const char *platform;       /* the platform's complaint_type: "虚假发货" */
	struct sample_strings zh;   /* simplified; sample_to_traditional() makes the 繁體 twin */
	struct sample_strings zht;  /* written in traditional Chinese already */
	struct sample_strings en;
	struct sample_strings also; /* a clause adding this type to another's text */
	struct sample_strings neg;  /* a clause denying this type ("质量没问题，") to put first */
};

extern const struct sample_type_texts sample_types[SAMPLE_TYPE_COUNT];

/* Chat lines. */
extern const struct sample_strings sample_buyer_presale;   /* 在吗？有货吗 */
extern const struct sample_strings sample_seller_presale;  /* 亲，在的哦 */
extern const struct sample_strings sample_buyer_shipping;  /* 什么时候发货 */
extern const struct sample_strings sample_seller_shipping; /* 今天下午发出 */
extern const struct sample_strings sample_buyer_followup;  /* 好的谢谢 */
extern const struct sample_strings sample_seller_sorry;    /* after-sales: 抱歉，马上核实 */
extern const struct sample_strings sample_seller_rude;     /* 爱买不买 */
extern const struct sample_strings sample_seller_notice;   /* SMS: shipped, %c %t */
extern const struct sample_strings sample_seller_review;   /* SMS/chat: 好评返现 */
extern const struct sample_strings sample_seller_pester;   /* harassment: 改差评 */
extern const struct sample_strings sample_phone_log;       /* call log lines: 通话 %n 秒 */
extern const struct sample_strings sample_buyer_stop;      /* 别再打了 */

/* Complaint text endings: a closing sentence, a quoted seller reply. */
extern const struct sample_strings sample_closings;        /* 请平台处理！ */
extern const struct sample_strings sample_quoted;          /* 客服说"亲，再等等" */

/* Names. */
extern const struct sample_strings sample_shop_prefix;     /* 杭州, 小鹿 */
extern const struct sample_strings sample_shop_core;       /* 服饰, 数码 */
extern const struct sample_strings sample_shop_suffix;     /* 旗舰店, 小店 */
extern const struct sample_strings sample_nick_head;       /* 快乐的, 爱吃鱼的 */
extern const struct sample_strings sample_nick_tail;       /* 小猫, 阿杰 */
extern const struct sample_strings sample_items;           /* 连衣裙, 蓝牙耳机 */
extern const struct sample_strings sample_emoji;

/* The one shop name that must never be run by anything downstream. */
extern const char sample_shop_backquote[];

struct sample_courier {
	const char *name;    /* 顺丰 */
	const char *prefix;  /* "SF", or leading digits */
	unsigned digits;     /* random digits after the prefix */
};
extern const struct sample_courier sample_couriers[];
extern const size_t sample_n_couriers;

/* "发货" -> "发(fā)货": the stray pinyin of scraped text. */
struct sample_pinyin {
	const char *word, *noisy;
};
extern const struct sample_pinyin sample_pinyin_noise[];
extern const size_t sample_n_pinyin_noise;

struct sample_slots {
	unsigned days, hours, count;
	uint64_t amount_cents;
	const char *item, *courier, *tracking, *shop;
};

/*
 * Appends tmpl with its slots filled to buf[len..cap) and returns the new
 * length. Output that does not fit is cut at a UTF-8 character boundary;
 * buf is not NUL-terminated.
 */
size_t sample_fill(char *buf, size_t len, size_t cap, const char *tmpl,
		   const struct sample_slots *slots);

/*
 * Rewrites the simplified characters of s[0..len) that the templates use
 * into traditional ones, in place (both are 3-byte UTF-8). Characters it
 * does not know are left alone, as a hurried human writer would.
 */
void sample_to_traditional(char *s, size_t len);

#endif
