#include "cmd/sample_texts.h"

#include <stdlib.h>
#include <string.h>

#define LIST(name, ...) static const char *const name##_s[] = {__VA_ARGS__}
#define STRINGS(name) {name##_s, sizeof(name##_s) / sizeof(name##_s[0])}
#define PUBLIC_LIST(name, ...) \
	static const char *const name##_s[] = {__VA_ARGS__}; \
	const struct sample_strings name = {name##_s, sizeof(name##_s) / sizeof(name##_s[0])}

/*
 * Complaint texts. The simplified templates also serve as the traditional
 * ones through sample_to_traditional(); the zht lists add phrasing that a
 * Taiwan or Hong Kong buyer would use. Some templates name a second type on
 * purpose ("质量问题退货，...运费" is a shipping-fee complaint) because real
 * texts do.
 */
LIST(fake_zh,
     "显示已发货但没收到，物流单号%t查不到任何信息",
     "卖家虚假发货，单号%t一直没有物流更新，已经%d天了",
     "订单显示已发货，快递单号根本查不到，明显是虚假发货",
     "发货%d天了物流一直停在揽收，联系%c说根本没收到包裹",
     "给的快递单号是别人的，收件地址都不是我的",
     "商家填了个假单号，%c官网查无此单",
     "点了发货%d天了物流信息一条都没有，卖家说在路上，骗人的吧",
     "物流单号是空号，卖家就是虚拟发货",
     "买的%i，系统显示已发货，快递公司说没有这个件",
     "说是发了%c，单号%t一直显示待揽收，%d天没动",
     "卖家为了不被判延迟发货，先点了发货，实际根本没发",
     "单号和别人的订单是同一个，明显是拿旧单号糊弄",
     "虚假发货！！单号查不到",
     "显示已发货，其实东西还在仓库，卖家自己承认的");
LIST(fake_zht,
     "顯示已發貨但一直沒收到，單號查不到任何物流資訊",
     "賣家虛假發貨，快遞單號%t根本是空的");
LIST(fake_en,
     "Marked as shipped but tracking number %t shows nothing for %d days.",
     "Seller shipped nothing, the tracking number belongs to someone else.",
     "Fake shipment: the order says shipped, %c has no record of it.");
LIST(fake_also, "，而且物流单号根本查不到", "，后来发现单号是假的");
LIST(fake_neg, "单号倒是能查到，", "卖家确实发货了，");

LIST(late_zh,
     "下单%d天了还没发货，说好的48小时内发货",
     "承诺%h小时发货，现在都%d天了还是等待发货",
     "一直不发货，问客服就说在排单",
     "未在承诺时间内发货，催了好几次都说明天发",
     "付款后%d天才发货，耽误了我用",
     "拍下%i时说有现货，结果拖了%d天才发",
     "预售也没说要等这么久，%d天了还没发货",
     "卖家一直拖着不发货，也不给退款",
     "到现在都没发货，客服只会说亲再等等",
     "说是当天发，结果第%d天才揽收",
     "发货太慢了，%d天才发出",
     "未发货，已经超过承诺的发货时间%d天");
LIST(late_zht,
     "下單%d天了還沒發貨，客服一直說再等等",
     "承諾48小時發貨，結果拖了%d天");
LIST(late_en,
     "Ordered %d days ago and it still has not shipped.",
     "Promised to ship within 48 hours, shipped after %d days.");
LIST(late_also, "，而且拖了%d天才发货", "，还迟迟不发货");
LIST(late_neg, "发货倒是挺快的，", "不是发货慢的问题，");

LIST(quality_zh,
     "收到的%i质量太差，用了%d天就坏了",
     "衣服线头很多，洗一次就掉色",
     "裤子开线了，穿了两次就掉线",
     "耳机一边没声音，充电也充不进去",
     "东西有很大的噪音，根本没法用",
     "质量很差，做工粗糙，还有异味",
     "用了不到一周就不能用了，质量问题",
     "鞋子开胶了，才穿了%d天",
     "杯子漏水，盖子拧不紧",
     "新买的衣服掉色严重，把别的衣服都染了",
     "充电宝充不进电，质量有问题",
     "拉链坏了，布料起球");
LIST(quality_zht,
     "品質太差了，%i用了%d天就壞掉",
     "質量很差，線頭一堆，洗一次就掉色");
LIST(quality_en,
     "Poor quality, the %i stopped working after %d days.",
     "Seams came apart after one wash, lots of loose threads.");
LIST(quality_also, "，质量也很差", "，而且用了两天就坏了");
LIST(quality_neg, "没有质量问题，", "东西质量没问题，", "质量倒是还行，");

LIST(nad_zh,
     "收到的颜色和图片完全不一样",
     "尺码不对，标的L实际是S",
     "描述说是纯棉，收到是化纤的",
     "页面写的%n件装，少发了一件",
     "保质期只剩%d天了，页面写的是新鲜日期",
     "说好的赠品和配件都没有",
     "和描述不符，材质差很多",
     "页面说包邮送发票，收到没有发票",
     "款式和详情页不一样，货不对板",
     "实物比图片小很多，描述不符",
     "颜色发错了，我要的是黑色");
LIST(nad_zht,
     "收到的顏色跟圖片完全不一樣，貨不對板",
     "描述說是純棉，結果是化纖");
LIST(nad_en,
     "Colour and size are different from the listing.",
     "The listing says genuine leather, I received plastic.");
LIST(nad_also, "，而且颜色和图片不一样", "，材质也和描述不符");
LIST(nad_neg, "东西和描述是一样的，", "款式颜色都对，");

LIST(damaged_zh,
     "收到包裹外箱破损，%i摔碎了",
     "快递显示已签收，但我根本没收到",
     "杯子到手就是碎的，包装太简单",
     "包裹丢了，卖家和快递互相推",
     "签收时发现里面少了一件",
     "屏幕裂了，明显是运输途中摔的",
     "显示%c已签收，家里没人收过",
     "外包装完好但里面东西压坏了",
     "丢件了，%d天都找不到");
LIST(damaged_zht,
     "收到時外箱破損，東西摔碎了",
     "顯示已簽收但我根本沒收到包裹");
LIST(damaged_en,
     "Arrived smashed, the box was crushed.",
     "Tracking says delivered but I never received the parcel.");
LIST(damaged_also, "，收到还是破的", "，东西还摔坏了");
LIST(damaged_neg, "东西没有坏，", "包裹是完好的，");

LIST(logistics_zh,
     "物流太慢了，%d天还在路上",
     "催件好几次了，快递一直不动",
     "物流信息%d天没更新，查件也查不到进展",
     "快递员不送货上门，直接放驿站",
     "%c派送太慢，中转站停了%d天",
     "我没拒收，快递自己退回去了",
     "物流显示派送中已经%d天了",
     "快递一直卡在中转，客服也不帮忙催");
LIST(logistics_zht,
     "物流太慢，%d天了還在路上",
     "快遞一直不動，催件也沒用");
LIST(logistics_en,
     "Delivery is very slow, stuck in transit for %d days.",
     "The courier returned the parcel although I never refused it.");
LIST(logistics_also, "，物流也特别慢", "，快递还拖了%d天");
LIST(logistics_neg, "物流很快，", "快递两天就到了，");

LIST(counterfeit_zh,
     "买的是正品，收到明显是假货",
     "专柜验了是假的，非正品",
     "防伪码查不到，怀疑是假货",
     "%i做工和正品差太多，就是高仿",
     "标签是假的，根本不是品牌正品",
     "卖假货还说是官方授权",
     "刷单虚假交易，东西也是假的",
     "包装印刷模糊，明显是假冒的");
LIST(counterfeit_zht,
     "專櫃鑑定是假貨，根本不是正品",
     "防偽碼查不到，賣假貨");
LIST(counterfeit_en,
     "This is a counterfeit, not genuine.",
     "Fake product, the anti-counterfeit code is invalid.");
LIST(counterfeit_also, "，还怀疑是假货", "，而且不是正品");
LIST(counterfeit_neg, "东西是正品没错，", "不是假货，");

LIST(after_sales_zh,
     "申请退换货卖家一直不处理",
     "七天无理由退货，卖家拒绝",
     "找售后没人理，消息都不回",
     "要求换货，卖家说已经过了售后期",
     "售后态度敷衍，推给厂家",
     "维修申请%d天没人处理",
     "卖家拒绝七天无理由退换，说拆封了不退",
     "申请换%i，卖家拖着不给换");
LIST(after_sales_zht,
     "申請退換貨，賣家一直不處理",
     "七天無理由退貨被拒絕");
LIST(after_sales_en,
     "Seller refuses the 7-day no-reason return.",
     "After-sales ignores my exchange request.");
LIST(after_sales_also, "，申请售后也没人理", "，要换货卖家也不给换");
LIST(after_sales_neg, "售后处理得还行，", "换货倒是换了，");

LIST(refund_zh,
     "退货%d天了还没收到退款",
     "申请退款卖家一直拒绝",
     "货已经退回去了，钱一直不退",
     "仅退款申请被驳回，东西根本不能用",
     "说好退%a元，只退了一半",
     "卖家收到退货后不退款，也不回消息",
     "退款申请%d天了还在处理中",
     "退款被拒绝，理由是影响二次销售");
LIST(refund_zht,
     "退貨%d天了還沒收到退款",
     "東西退回去了，錢一直不退");
LIST(refund_en,
     "Returned the item %d days ago, still no refund.",
     "The seller keeps refusing my refund of %a yuan.");
LIST(refund_also, "，退款也一直不给", "，申请退款还被拒绝");
LIST(refund_neg, "退款已经收到了，", "钱是退了，");

LIST(fee_zh,
     "质量问题退货，卖家让我自己出运费",
     "退货运费%a元卖家不承担",
     "说好包邮，又让我补运费",
     "谁过错谁承担，发错货凭什么我付运费",
     "运费险不给用，来回运费都是我出",
     "卖家要求到付，运费太贵了",
     "邮费收了两次");
LIST(fee_zht,
     "發錯貨憑什麼要我出運費",
     "說好包郵又要補運費");
LIST(fee_en,
     "The seller sent the wrong item but wants me to pay the return postage.");
LIST(fee_also, "，还要我自己出运费", "，退货运费也不给报销");
LIST(fee_neg, "运费不是问题，");

LIST(attitude_zh,
     "客服态度极差，还骂人",
     "问了几句就被拉黑",
     "客服辱骂顾客，说我爱买不买",
     "消息一直不回，回了也是很不耐烦",
     "客服说话难听，阴阳怪气",
     "我问尺码，客服说你自己不会看吗",
     "等了%h小时才回复，一句话就打发了",
     "客服骂我穷就别买");
LIST(attitude_zht,
     "客服態度很差，還罵人",
     "訊息一直不回，回了也很不耐煩");
LIST(attitude_en,
     "Customer service was rude and insulted me.",
     "The seller never replies to messages.");
LIST(attitude_also, "，客服态度还很差", "，问客服还被骂");
LIST(attitude_neg, "客服态度挺好的，");

LIST(harassment_zh,
     "给了差评以后卖家天天打电话骚扰",
     "卖家一天打了%n个电话让我改差评",
     "半夜还在发短信骚扰我",
     "不改差评就一直打电话，严重影响生活",
     "卖家用不同号码轮流打电话，还发旺旺骚扰",
     "收到卖家寄来的冥币，太恶心了",
     "卖家威胁说知道我住哪",
     "晚上十一点还打电话要我改评价",
     "短信轰炸，一天%n条",
     "申请退款后卖家反复打电话骚扰，要我撤销");
LIST(harassment_zht,
     "給差評後賣家天天打電話騷擾",
     "半夜還傳簡訊騷擾我");
LIST(harassment_en,
     "The seller keeps calling me %n times a day to change my review.",
     "Harassing SMS at midnight after I left a bad review.");
LIST(harassment_also, "，还一直打电话骚扰", "，现在还天天发短信烦我");
LIST(harassment_neg, "卖家倒没有骚扰我，");

#define TYPE(id, zh, p) {id, zh, STRINGS(p##_zh), STRINGS(p##_zht), STRINGS(p##_en), \
			 STRINGS(p##_also), STRINGS(p##_neg)}

const struct sample_type_texts sample_types[SAMPLE_TYPE_COUNT] = {
	[SAMPLE_FAKE_SHIPMENT] = TYPE("fake_shipment", "虚假发货", fake),
	[SAMPLE_LATE_SHIPMENT] = TYPE("late_shipment", "延迟发货", late),
	[SAMPLE_QUALITY] = TYPE("quality", "质量问题", quality),
	[SAMPLE_NOT_AS_DESCRIBED] = TYPE("not_as_described", "描述不符", nad),
	[SAMPLE_DAMAGED_LOST] = TYPE("damaged_lost", "破损丢件", damaged),
	[SAMPLE_LOGISTICS] = TYPE("logistics", "物流问题", logistics),
	[SAMPLE_COUNTERFEIT] = TYPE("counterfeit", "假货", counterfeit),
	[SAMPLE_AFTER_SALES] = TYPE("after_sales", "售后", after_sales),
	[SAMPLE_REFUND] = TYPE("refund", "退款", refund),
	[SAMPLE_SHIPPING_FEE] = TYPE("shipping_fee", "运费", fee),
	[SAMPLE_ATTITUDE] = TYPE("attitude", "服务态度", attitude),
	[SAMPLE_HARASSMENT] = TYPE("harassment", "恶意骚扰", harassment),
};

PUBLIC_LIST(sample_buyer_presale,
	    "在吗？", "这个还有货吗", "%i有现货吗", "能便宜点吗", "包邮吗",
	    "什么时候能到", "尺码怎么选", "亲，这个是正品吗", "有优惠券吗",
	    "今天下单今天能发吗", "可以开发票吗", "颜色有色差吗", "hello，在不在",
	    "L码还有吗？", "我身高165体重52，穿什么码");
PUBLIC_LIST(sample_seller_presale,
	    "亲，在的哦~", "有现货的亲，今天下单今天发", "亲，按平时尺码拍就可以",
	    "保证正品，假一赔十", "亲，已经是最低价了哦", "江浙沪包邮，其他地区补%n元",
	    "可以开发票的亲", "一般%d天左右到", "好的亲，请稍等", "领券下单更优惠哦",
	    "您好，欢迎光临%s，有什么可以帮您");
PUBLIC_LIST(sample_buyer_shipping,
	    "什么时候发货？", "怎么还没发货", "能快点发吗，急用", "发的什么快递？",
	    "单号多少", "物流怎么不动了", "到哪了");
PUBLIC_LIST(sample_seller_shipping,
	    "亲，今天下午发出", "已经发了亲，%c %t", "仓库排单中，明天一定发",
	    "亲，在路上了请耐心等待", "帮您催一下快递");
PUBLIC_LIST(sample_buyer_followup,
	    "好的谢谢", "收到了", "行吧", "麻烦快点", "👌", "嗯嗯", "ok");
PUBLIC_LIST(sample_seller_sorry,
	    "亲，非常抱歉，我们马上核实", "已经给您申请退款了", "麻烦拍照给我们看看",
	    "亲，这边帮您联系快递", "很抱歉给您带来不便，可以补偿%n元");
PUBLIC_LIST(sample_seller_rude,
	    "爱买不买", "你自己不会看吗", "不退", "有病吧", "就这个价，嫌贵别买",
	    "穷就别网购", "烦不烦");
PUBLIC_LIST(sample_seller_notice,
	    "【%s】亲，您的宝贝已由%c发出，单号%t，请注意查收",
	    "【%s】您的订单已发货，物流单号%t");
PUBLIC_LIST(sample_seller_review,
	    "亲，收到满意的话给个五星好评哦，截图返现%n元",
	    "【%s】五星好评返现%n元，联系客服领取",
	    "亲，东西还满意吗？给个好评呗");
PUBLIC_LIST(sample_seller_pester,
	    "为什么给差评？马上改掉", "亲，麻烦把差评改一下，我们补偿%n元",
	    "不改差评我们会一直联系你", "你这样给差评我们很难办，请删除评价",
	    "差评不改的话后果自负", "接电话！", "我知道你住哪", "再不改评价就天天打");
PUBLIC_LIST(sample_phone_log,
	    "呼出 通话%n秒", "未接通", "呼出 未接", "通话时长 00:%n", "来电被拒接");
PUBLIC_LIST(sample_buyer_stop,
	    "别再打了！", "请不要再骚扰我", "再打我就投诉了", "已经说了不改",
	    "半夜打电话有病吗");
PUBLIC_LIST(sample_closings,
	    "请平台处理！", "希望小二主持公道", "要求退款", "已经打12315了",
	    "太失望了", "大家千万别买", "请尽快给个说法", "Please handle this.");
/* ASCII double quotes on purpose: CSV writers must double them. */
PUBLIC_LIST(sample_quoted,
	    "客服只会说\"亲，再等等\"", "卖家说\"不影响使用\"",
	    "客服回了句\"爱买不买\"", "页面写着\"假一赔十\"",
	    "卖家原话\"已经发了\"");

/*
 * Shop names are prefix + core + suffix. Made-up words, no real brands.
 */
PUBLIC_LIST(sample_shop_prefix,
	    "杭州", "义乌", "广州", "深圳", "苏州", "成都", "小鹿", "阿狸", "星辰",
	    "木子", "南风", "北岸", "青柠", "暖阳", "云朵", "橙子", "海盐", "麦田",
	    "森林", "蜜桃", "拾光", "初见", "锦绣", "百川", "鑫源", "恒达", "佳美",
	    "优品", "聚鑫", "晨曦", "花间", "米粒", "小熊", "老王", "張記", "阿花",
	    "金牌", "新潮", "東方", "宜家");
PUBLIC_LIST(sample_shop_core,
	    "服饰", "女装", "男装", "童装", "数码", "家居", "母婴", "美妆", "零食",
	    "宠物用品", "户外", "鞋业", "茶叶", "文具", "百货", "家纺", "箱包", "饰品",
	    "厨具", "电器", "手机配件", "运动", "眼镜", "花卉", "汽车用品", "玩具",
	    "图书", "酒水", "生鲜", "内衣");
PUBLIC_LIST(sample_shop_suffix,
	    "旗舰店", "专营店", "专卖店", "小店", "的店", "工厂店", "精品店", "优选",
	    "官方店", "企业店", "批发", "直营店", "杂货铺", "生活馆");

const char sample_shop_backquote[] = "精品`touch tousu-pwned`$(touch tousu-pwned)杂货铺";

PUBLIC_LIST(sample_nick_head,
	    "快乐的", "爱吃鱼的", "小", "大大的", "安静的", "追风", "不吃香菜的",
	    "阳光", "Lily", "momo", "晴天", "一只", "路过的", "甜甜", "阿");
PUBLIC_LIST(sample_nick_tail,
	    "小猫", "阿杰", "猪猪", "宝贝", "少年", "酱", "兔子", "Amy", "妈妈",
	    "橘子", "星星", "Jack", "小姐姐", "大叔", "鱼");

PUBLIC_LIST(sample_items,
	    "连衣裙", "蓝牙耳机", "手机壳", "保温杯", "羽绒服", "运动鞋", "面膜",
	    "奶粉", "猫粮", "充电宝", "四件套", "电饭煲", "口红", "双肩包", "牛仔裤",
	    "卫衣", "机械键盘", "台灯", "洗发水", "茶具", "儿童玩具", "行李箱",
	    "智能手表", "乳胶枕", "空气炸锅", "T恤", "数据线", "拖鞋", "围巾", "咖啡豆");

PUBLIC_LIST(sample_emoji,
	    "😡", "😤", "🙄", "😭", "👎", "💢", "😅", "🤬", "😓", "❗", "🙏");

const struct sample_courier sample_couriers[] = {
	{"顺丰", "SF", 12},
	{"中通", "7", 13},
	{"圆通", "YT", 13},
	{"韵达", "43", 11},
	{"申通", "77", 11},
	{"极兔", "JT", 13},
	{"邮政", "98", 11},
	{"京东", "JDV", 12},
};
const size_t sample_n_couriers = sizeof(sample_couriers) / sizeof(sample_couriers[0]);

const struct sample_pinyin sample_pinyin_noise[] = {
	{"发货", "发(fā)货"}, {"發貨", "發(fā)貨"}, {"质量", "质(zhì)量"},
	{"質量", "質(zhì)量"}, {"骚扰", "骚(sāo)扰"}, {"騷擾", "騷(sāo)擾"},
	{"退款", "退(tuì)款"}, {"物流", "物(wù)流"}, {"假货", "假(jiǎ)货"},
	{"客服", "客(kè)服"}, {"投诉", "投(tóu)诉"}, {"差评", "差(chà)评"},
};
const size_t sample_n_pinyin_noise = sizeof(sample_pinyin_noise) / sizeof(sample_pinyin_noise[0]);

/* Appends s[0..n) to buf, cutting at a UTF-8 boundary when it does not fit. */
static size_t put(char *buf, size_t len, size_t cap, const char *s, size_t n)
{
	if (n > cap - len) {
		n = cap - len;
		/* back up over continuation bytes so no character is split */
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(buf + len, s, n);
	return len + n;
}

static size_t put_uint(char *buf, size_t len, size_t cap, uint64_t v)
{
	char tmp[24];
	size_t n = sizeof(tmp);
	do {
		tmp[--n] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return put(buf, len, cap, tmp + n, sizeof(tmp) - n);
}

size_t sample_fill(char *buf, size_t len, size_t cap, const char *tmpl,
		   const struct sample_slots *slots)
{
	const char *p = tmpl;
	while (*p && len < cap) {
		const char *pct = strchr(p, '%');
		if (!pct)
			return put(buf, len, cap, p, strlen(p));
		len = put(buf, len, cap, p, (size_t)(pct - p));
		const char *v = NULL;
		switch (pct[1]) {
		case 'd': len = put_uint(buf, len, cap, slots->days); break;
		case 'h': len = put_uint(buf, len, cap, slots->hours); break;
		case 'n': len = put_uint(buf, len, cap, slots->count); break;
		case 'a':
			/* amounts in a buyer's words: whole yuan unless there are cents */
			len = put_uint(buf, len, cap, slots->amount_cents / 100);
			if (slots->amount_cents % 100) {
				char c[3] = {'.', (char)('0' + slots->amount_cents % 100 / 10),
					     (char)('0' + slots->amount_cents % 10)};
				len = put(buf, len, cap, c, 3);
			}
			break;
		case 'i': v = slots->item; break;
		case 'c': v = slots->courier; break;
		case 't': v = slots->tracking; break;
		case 's': v = slots->shop; break;
		case '%': v = "%"; break;
		default: v = "%"; pct--; break;  /* a lone '%' stays as it is */
		}
		if (v)
			len = put(buf, len, cap, v, strlen(v));
		p = pct + 2;
		if (!pct[1])
			break;
	}
	return len;
}

/*
 * Simplified -> traditional, for the characters the templates use: pairs of
 * code points, written as two strings of equal length in characters. Where
 * a simplified character has several traditional ones the templates' sense
 * is chosen (发货 -> 發貨, 售后 -> 售後, 回复 -> 回覆).
 */
static const char s2t_simp[] =

	"万专业东丢两严个临为么义乌乐书买乱云亲仅从仓们价优会伪体偿儿"
	"关内写况减几凭删别办务动区单卖卫厂压厨双发叶号后吗听呗员周响"
	"围图坏声壳处复头妆妈婴宝实宠宫对将尽币带帮广库应开异当怀态总"
	"恒恶惯户扰护报担拟拧损换据揽数无旧时显机杂权条来杰极柜柠标样"
	"欢气没沪温满灯点烦烧爱状猪猫现电盐盖盘着码确种称穷签简粮紧红"
	"纤约级纯纺线经绒结给绝统绣维网罗联胁胶舰节苏营蓝虚补表装裤见"
	"观订认让讲论证评诉诚话该详误说请诺谁调谢贝负账货质购贵费赔赠"
	"车转轮轰轻载输边达过运还这进连迟选递邮酱里钟钱铺链销锅错锦键"
	"镜长门闪闭问间阳阴阶际险难静页顾预领题颜风饭饮饰馆马驳驿骂验"
	"骗骚鱼鲜鸟鸡麦龙龟";
static const char s2t_trad[] =

	"萬專業東丟兩嚴個臨為麼義烏樂書買亂雲親僅從倉們價優會偽體償兒"
	"關內寫況減幾憑刪別辦務動區單賣衛廠壓廚雙發葉號後嗎聽唄員週響"
	"圍圖壞聲殼處覆頭妝媽嬰寶實寵宮對將盡幣帶幫廣庫應開異當懷態總"
	"恆惡慣戶擾護報擔擬擰損換據攬數無舊時顯機雜權條來傑極櫃檸標樣"
	"歡氣沒滬溫滿燈點煩燒愛狀豬貓現電鹽蓋盤著碼確種稱窮簽簡糧緊紅"
	"纖約級純紡線經絨結給絕統繡維網羅聯脅膠艦節蘇營藍虛補錶裝褲見"
	"觀訂認讓講論證評訴誠話該詳誤說請諾誰調謝貝負賬貨質購貴費賠贈"
	"車轉輪轟輕載輸邊達過運還這進連遲選遞郵醬裡鐘錢鋪鏈銷鍋錯錦鍵"
	"鏡長門閃閉問間陽陰階際險難靜頁顧預領題顏風飯飲飾館馬駁驛罵驗"
	"騙騷魚鮮鳥雞麥龍龜";

struct s2t_pair {
	uint32_t s, t;
};

static struct s2t_pair s2t_table[sizeof(s2t_simp) / 3];
static size_t s2t_n;

/* Decodes the 3-byte UTF-8 character at p (all CJK ideographs used are). */
static uint32_t cjk3(const unsigned char *p)
{
	return ((uint32_t)(p[0] & 0x0F) << 12) | ((uint32_t)(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
}

static int s2t_cmp(const void *a, const void *b)
{
	uint32_t x = ((const struct s2t_pair *)a)->s, y = ((const struct s2t_pair *)b)->s;
	return x < y ? -1 : x > y;
}

static void s2t_build(void)
{
	const unsigned char *s = (const unsigned char *)s2t_simp;
	const unsigned char *t = (const unsigned char *)s2t_trad;
	size_t n = 0;
	for (size_t i = 0; i + 3 <= sizeof(s2t_simp) - 1; i += 3) {
		uint32_t a = cjk3(s + i), b = cjk3(t + i);
		if (a != b)
			s2t_table[n++] = (struct s2t_pair){a, b};
	}
	/* the strings are sorted already; sorting again keeps edits safe */
	qsort(s2t_table, n, sizeof(s2t_table[0]), s2t_cmp);
	s2t_n = n;
}

void sample_to_traditional(char *s, size_t len)
{
	unsigned char *p = (unsigned char *)s;
	if (!s2t_n)
		s2t_build();
	for (size_t i = 0; i < len;) {
		if ((p[i] & 0xF0) != 0xE0 || i + 2 >= len) {
			i++;
			continue;
		}
		uint32_t c = cjk3(p + i);
		size_t lo = 0, hi = s2t_n;
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			if (s2t_table[mid].s < c)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo < s2t_n && s2t_table[lo].s == c) {
			uint32_t t = s2t_table[lo].t;
			p[i] = (unsigned char)(0xE0 | (t >> 12));
			p[i + 1] = (unsigned char)(0x80 | ((t >> 6) & 0x3F));
			p[i + 2] = (unsigned char)(0x80 | (t & 0x3F));
		}
		i += 3;
	}
}
