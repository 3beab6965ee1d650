#!/bin/sh
# Turns a rule file into C source, so the binary carries its default rules and
# works with no files installed. Used by the Makefile:
#   sh analyzers/embed_rules.sh analyzers/default.rules > build/gen/default_rules.c
set -eu
echo "/* Generated from $1 by analyzers/embed_rules.sh; do not edit. */"
echo '#include "analyzers/rules.h"'
echo 'static const char text[] ='
sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/	"/' -e 's/$/\\n"/' "$1"
echo '	"";'
echo 'const char *rules_default_text(void) { return text; }'
