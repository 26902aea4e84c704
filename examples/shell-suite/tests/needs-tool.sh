#!/bin/sh
# Skipped (exit 77) where the tool it needs is missing.
command -v frobnicate >/dev/null 2>&1 || { echo "SKIP: frobnicate is not installed"; exit 77; }
frobnicate --self-test
