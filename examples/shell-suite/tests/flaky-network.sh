#!/bin/sh
# Fails on its first attempt, passes when retried (SUITE_ATTEMPT counts attempts).
[ "$SUITE_ATTEMPT" -ge 2 ] || { echo "FAIL: connection reset by peer"; exit 1; }
