"""Members are found by the one pinyin key of retail_base (``retail_pinyin``): the members'
own pinyin column is gone."""


def migrate(cr, version):
    cr.execute("ALTER TABLE res_partner DROP COLUMN IF EXISTS retail_name_pinyin")
