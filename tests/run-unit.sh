#!/bin/sh
# Runs each cmocka test binary given; fails if any fails. Tests that read
# ../shared/data find it through TOUSU_SHARED_DATA (default ../shared/data).
status=0
for t in "$@"; do
	"$t" || status=1
done
exit $status
