/*
 * report_log.h - timestamped log lines for the nightly report.
 *
 * Cron mails what a job prints; each line should say when. Instead of
 * threading a logger through every function that may print (the readers,
 * the join, rule errors), report_log_start() points file descriptor 2 at a
 * pipe and a thread copies each line to the real stderr with a timestamp
 * ("2026-11-01T02:00:03+08:00 tousu: ..."). report_log_stop() restores
 * stderr and waits for the last line. Between the two, stderr is not a
 * terminal, so no progress line is drawn, as cron wants.
 */
#ifndef TOUSU_REPORT_LOG_H
#define TOUSU_REPORT_LOG_H

#include <stdint.h>

/* tz: seconds east of UTC for the timestamps. 0, or -1 (then nothing changed). */
int report_log_start(int32_t tz);
void report_log_stop(void);

#endif
