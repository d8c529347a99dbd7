"""Sample texts shared by the tests of the text part and of wrapping."""

#: A Chinese paragraph (no spaces, full-width punctuation), twice over: several lines wide.
CHINESE = (
    "我们的埃塞俄比亚耶加雪菲又到货了，采用浅度烘焙，带来明亮的茉莉花香与柑橘风味。"
    "无论是手冲、爱乐压还是冷萃，都能展现它的甜感与干净的余韵。"
    "欢迎到店品尝，我们的咖啡师会为您推荐最合适的冲煮方式。"
    "会员本月购买咖啡豆可享九折优惠，满两袋还送一个手工陶瓷杯！"
) * 2
