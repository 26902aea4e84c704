#!/bin/sh
# Shell arithmetic works.
[ $((6 * 7)) -eq 42 ] || { echo "FAIL: 6 * 7 is not 42"; exit 1; }
# Runs in a scratch directory; the runner collects arithmetic.log as an artifact.
echo "6 * 7 = 42" > arithmetic.log
