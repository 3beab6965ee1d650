/*
 * hanzi.h - traditional to simplified Chinese, one code point at a time.
 *
 * The classifier folds complaint texts and rule patterns alike to simplified
 * characters, so one rule written either way matches 發貨 and 发货. The table
 * is generated from OpenCC's t2s mapping (analyzers/gen_t2s.py) and covers
 * the one-to-one mappings of U+3400..U+9FFF; other code points pass through.
 */
#ifndef TOUSU_HANZI_H
#define TOUSU_HANZI_H

#include <stdint.h>

/* The simplified form of cp, or cp itself. */
uint32_t hanzi_to_simplified(uint32_t cp);

#endif
