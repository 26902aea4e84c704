#!/bin/sh
# Parameter expansion strips suffixes.
file=report.tar.gz
[ "${file%%.*}" = report ] || { echo "FAIL: got ${file%%.*}"; exit 1; }
