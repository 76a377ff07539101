/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRSNOOP_MARKUP_H
#define DRSNOOP_MARKUP_H

#include <stdio.h>

/*
 * s as HTML or XML text, or an attribute's value: &, <, >, " and ' as
 * entities, and every other byte outside printable ASCII (but newlines
 * and tabs) as "\xNN", since a
 * task name or a frame is bytes and an SVG that is not UTF-8 is not XML.
 */
void markup_text(FILE *f, const char *s);

#endif /* DRSNOOP_MARKUP_H */
