/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRSNOOP_FILTER_H
#define DRSNOOP_FILTER_H

#include <stdbool.h>
#include "event.h"
#include "options.h"

bool filter_match(const struct dr_options *o, const struct dr_event *e);

#endif /* DRSNOOP_FILTER_H */
