/** Text patterns shared by the table stages. */

/** 栏次/行次: the column-number row and its label. */
export const COLUMN_NO_RE = /栏次|行次/;

/** Names of summary rows. */
export const SUMMARY_WORD_RE = /^(合计|总计|小计|本年收入合计|本年支出合计|收入总计|支出总计|部门合计)[:：]?$/;
