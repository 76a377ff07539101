#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# t11's filter and column checks, on the ftrace backend: -p (threads
# created later included), -t, -u and -n keep exactly the stalls an
# unfiltered run of the same window shows for them.

T11_BACKEND=ftrace exec bash "$(dirname "$0")/t11-filters.sh"
