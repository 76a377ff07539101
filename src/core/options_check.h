/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRSNOOP_OPTIONS_CHECK_H
#define DRSNOOP_OPTIONS_CHECK_H

#include "options.h"

/*
 * options_parse()'s last step, once every option is read: options that
 * clash, or need another. 0 or OPTIONS_USAGE, said why.
 */
int options_check(struct dr_options *o);

#endif /* DRSNOOP_OPTIONS_CHECK_H */
