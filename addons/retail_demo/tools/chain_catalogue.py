"""Word lists of the demo chain: regions, stores, categories, products, people.

Brands are invented; names are what a Chinese supermarket prints on its shelf labels.
"""

REGIONS = [
    ("EAST", "华东", "East China", ["上海", "杭州", "南京", "苏州", "宁波", "合肥"],
     ["Shanghai", "Hangzhou", "Nanjing", "Suzhou", "Ningbo", "Hefei"]),
    ("NORTH", "华北", "North China", ["北京", "天津", "石家庄", "太原", "济南", "青岛"],
     ["Beijing", "Tianjin", "Shijiazhuang", "Taiyuan", "Jinan", "Qingdao"]),
    ("SOUTH", "华南", "South China", ["广州", "深圳", "厦门", "福州", "南宁", "海口"],
     ["Guangzhou", "Shenzhen", "Xiamen", "Fuzhou", "Nanning", "Haikou"]),
    ("WEST", "西南", "Southwest", ["成都", "重庆", "昆明", "贵阳", "拉萨", "绵阳"],
     ["Chengdu", "Chongqing", "Kunming", "Guiyang", "Lhasa", "Mianyang"]),
    ("CENTRAL", "华中", "Central China", ["武汉", "长沙", "郑州", "南昌", "洛阳", "宜昌"],
     ["Wuhan", "Changsha", "Zhengzhou", "Nanchang", "Luoyang", "Yichang"]),
]

DISTRICTS = [
    ("中心店", "Central"), ("新城店", "New Town"), ("站前店", "Station"), ("滨江店", "Riverside"),
    ("花园店", "Garden"), ("大学城店", "University Town"), ("东湖店", "East Lake"),
    ("西街店", "West Street"), ("南门店", "South Gate"), ("北岸店", "North Bank"),
]

BRANDS = [
    ("金禾", "Golden Grain"), ("晨露", "Morning Dew"), ("青山", "Green Hill"), ("福满", "Fortune"),
    ("天润", "Tianrun"), ("优选", "Select"), ("家乐", "Jiale"), ("鲜丰", "Xianfeng"),
    ("百味", "Baiwei"), ("康源", "Kangyuan"), ("星河", "Star River"), ("云朵", "Cloud"),
    ("田园", "Countryside"), ("海湾", "Bayside"), ("欣悦", "Joyful"), ("禾丰", "Harvest"),
    ("嘉园", "Jiayuan"), ("朝阳", "Sunrise"), ("绿洲", "Oasis"), ("瑞丰", "Ruifeng"),
]

SIZES = [
    ("小装", "Small", 0.6), ("标准装", "Regular", 1.0), ("大装", "Large", 1.6),
    ("家庭装", "Family Pack", 2.5), ("3连包", "3-Pack", 2.7), ("6连包", "6-Pack", 5.0),
]

APPAREL_COLOURS = [("黑色", "Black"), ("白色", "White"), ("蓝色", "Blue")]
APPAREL_SIZES = [("S", "S"), ("M", "M"), ("L", "L")]

# code, Chinese, English, share of the catalogue, median cost (yuan), popularity,
# items: (Chinese, English, shelf life in days or 0 when not tracked by lot)
CATEGORIES = [
    ("DAIRY", "乳制品", "Dairy", 0.14, 6.0, 2.0, [
        ("纯牛奶", "Whole Milk", 7), ("酸奶", "Yoghurt", 21), ("低脂牛奶", "Low-fat Milk", 7),
        ("奶酪", "Cheese", 60), ("黄油", "Butter", 90), ("乳酸菌饮品", "Probiotic Drink", 30),
        ("淡奶油", "Cream", 14), ("豆浆", "Soy Milk", 5)]),
    ("FRESH", "生鲜", "Fresh", 0.10, 5.0, 2.2, [
        ("面包", "Bread", 3), ("鸡蛋", "Eggs", 21), ("豆腐", "Tofu", 4), ("鲜肉包", "Pork Buns", 2),
        ("三明治", "Sandwich", 2), ("蔬菜沙拉", "Salad", 3), ("鲜切水果", "Cut Fruit", 2),
        ("蛋糕", "Cake", 4)]),
    ("DRINKS", "饮料", "Drinks", 0.16, 3.0, 1.6, [
        ("矿泉水", "Mineral Water", 0), ("绿茶", "Green Tea", 0), ("可乐", "Cola", 0),
        ("橙汁", "Orange Juice", 0), ("即饮咖啡", "Iced Coffee", 0), ("运动饮料", "Sports Drink", 0),
        ("柠檬茶", "Lemon Tea", 0), ("苏打水", "Soda Water", 0)]),
    ("SNACKS", "零食", "Snacks", 0.18, 5.0, 1.2, [
        ("薯片", "Potato Chips", 0), ("饼干", "Biscuits", 0), ("混合坚果", "Mixed Nuts", 0),
        ("巧克力", "Chocolate", 0), ("瓜子", "Sunflower Seeds", 0), ("牛肉干", "Beef Jerky", 0),
        ("海苔", "Seaweed Snack", 0), ("水果糖", "Fruit Candy", 0)]),
    ("GROCERY", "粮油", "Grain & Oil", 0.12, 12.0, 0.8, [
        ("大米", "Rice", 0), ("挂面", "Noodles", 0), ("食用油", "Cooking Oil", 0),
        ("酱油", "Soy Sauce", 0), ("香醋", "Vinegar", 0), ("方便面", "Instant Noodles", 0),
        ("面粉", "Flour", 0), ("食盐", "Salt", 0)]),
    ("FROZEN", "冷冻", "Frozen", 0.06, 10.0, 0.8, [
        ("速冻水饺", "Frozen Dumplings", 0), ("汤圆", "Rice Balls", 0), ("冰淇淋", "Ice Cream", 0),
        ("速冻包子", "Frozen Buns", 0), ("鱼丸", "Fish Balls", 0), ("冻虾仁", "Frozen Shrimp", 0)]),
    ("HOUSEHOLD", "日用品", "Household", 0.12, 10.0, 0.6, [
        ("洗衣液", "Laundry Liquid", 0), ("抽纸", "Tissues", 0), ("洗洁精", "Dish Soap", 0),
        ("垃圾袋", "Bin Bags", 0), ("牙膏", "Toothpaste", 0), ("洗发水", "Shampoo", 0),
        ("沐浴露", "Shower Gel", 0), ("卷纸", "Toilet Paper", 0)]),
    ("BABY", "母婴", "Baby", 0.06, 30.0, 0.5, [
        ("婴儿奶粉", "Infant Formula", 540), ("纸尿裤", "Diapers", 0), ("婴儿湿巾", "Baby Wipes", 0),
        ("婴儿米粉", "Baby Rice Cereal", 365), ("奶瓶", "Baby Bottle", 0), ("婴儿润肤霜", "Baby Lotion", 0)]),
    ("APPAREL", "服装", "Apparel", 0.06, 25.0, 0.3, [
        ("T恤", "T-shirt", 0), ("袜子", "Socks", 0), ("棒球帽", "Cap", 0), ("围巾", "Scarf", 0),
        ("卫衣", "Hoodie", 0)]),
]

SURNAMES = list(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN_CHARS = list(
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉建文斌宇浩凯婷雪琳晨欣怡佳俊豪帅宁"
    "鑫瑶雨轩涵子梓萱思博雅嘉诗梦晓慧颖丹阳锋波海峰亮林飞燕倩琪璐晶瑞泽然航旭昊天宏志健康福安"
)
# given names of the chain's staff: a prime count, so that walking the surnames and these
# together gives distinct full names for a few thousand people
STAFF_GIVEN_NAMES = [
    "建华", "秀英", "志强", "丽娟", "国庆", "海燕", "文杰", "晓梅", "俊峰", "雪莲", "德明",
    "婷婷", "永刚", "慧敏", "立新", "春燕", "子豪", "佳怡", "宏伟", "静怡", "学军", "美玲",
    "浩然", "欣妍", "振东", "玉珍", "天宇", "思琪", "伟民", "红梅", "家乐",
]
MOBILE_PREFIXES = [
    130, 131, 132, 133, 134, 135, 136, 137, 138, 139, 150, 151, 152, 153, 155, 156, 157, 158, 159,
    166, 172, 173, 175, 176, 177, 178, 180, 181, 182, 183, 184, 185, 186, 187, 188, 189, 191, 198, 199,
]

PAYMENT_METHODS = [
    # code, Chinese, English, share of tickets, cash drawer
    ("CASH", "现金", "Cash", 0.18, True),
    ("WECHAT", "微信支付", "WeChat Pay", 0.45, False),
    ("ALIPAY", "支付宝", "Alipay", 0.30, False),
    ("CARD", "银行卡", "Bank Card", 0.07, False),
]
