-- A schema v7 database written by benchtrack at e4a97a9 (the main branch before the core
-- clock was stored): tests/data/json/valid/clock.json (CPU samples and clock_ghz, which v7
-- does not read) and tests/data/json/valid/full.json imported under two commits. Made with
-- benchtrack import tests/data/json/valid/clock.json --db v7.db --commit 7777777777777777777777777777777777777777 --allow-unknown-commit --branch main
-- benchtrack import tests/data/json/valid/full.json --db v7.db --commit 8888888888888888888888888888888888888888 --allow-unknown-commit --branch main
-- and sqlite3 v7.db .dump; the user_version line added (.dump leaves it out). Loaded by
-- test_store (migration to v8).
PRAGMA user_version=7;
PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE machines ( id INTEGER PRIMARY KEY, fingerprint TEXT NOT NULL UNIQUE, hostname TEXT, arch TEXT, cpu_model TEXT, cpus INTEGER, name TEXT);
INSERT INTO machines VALUES(1,'bc8f7999adfbb5aab0339bd9874c2fbe','bench-host','x86_64','Intel(R) Xeon(R) CPU @ 2.30GHz',2,NULL);
CREATE TABLE commits ( sha TEXT PRIMARY KEY, known INTEGER NOT NULL, time INTEGER, author TEXT, subject TEXT, parents TEXT) WITHOUT ROWID;
INSERT INTO commits VALUES('7777777777777777777777777777777777777777',0,NULL,NULL,NULL,NULL);
INSERT INTO commits VALUES('8888888888888888888888888888888888888888',0,NULL,NULL,NULL,NULL);
CREATE TABLE runs ( id INTEGER PRIMARY KEY, commit_sha TEXT REFERENCES commits(sha), branch TEXT, dirty INTEGER NOT NULL, machine_id INTEGER NOT NULL REFERENCES machines(id), format TEXT NOT NULL, date TEXT, stored_at INTEGER NOT NULL, executable TEXT, compiler TEXT, flags TEXT, os TEXT, kernel TEXT, timer_source TEXT, timer_hz REAL, hypervisor INTEGER NOT NULL, context_json TEXT, options_json TEXT, hostname TEXT, uid TEXT);
INSERT INTO runs VALUES(1,'7777777777777777777777777777777777777777','main',0,1,'benchtrack','2026-11-24T16:00:00Z',1796076471,'./examples','GCC 12.2.0','-O2 NDEBUG','Debian GNU/Linux 12 (bookworm)','Linux 6.1.0-18-amd64','tsc',2300000000.0,1,'{"benchtrack_version":"0.1.0","date":"2026-11-24T16:00:00Z","executable":"./examples","host":{"hostname":"bench-host","os":"Debian GNU/Linux 12 (bookworm)","kernel":"Linux 6.1.0-18-amd64","arch":"x86_64","cpu_model":"Intel(R) Xeon(R) CPU @ 2.30GHz","cpus":2,"hypervisor":true},"timer":{"source":"tsc","hz":2300000000.0,"hz_source":"cpuid","invariant":true,"read_ns":7.0999999999999996,"resolution_ns":0.42999999999999999,"overhead_ns":9.0,"pause_ns":30.0},"perf":{"available":false,"reason":"cycles: No such file or directory"},"memtrack":{"available":true},"build":{"compiler":"GCC 12.2.0","flags":"-O2 NDEBUG","optimized":true,"assertions":false},"options":{"time_budget_ms":1000,"min_samples":10,"max_samples":1000,"precision":0.01,"processes":2,"cpu":-1,"filter":"*","warmup_ms":100,"timeout_ms":60000},"warnings":[{"code":"vm","message":"running in a virtual machine"},{"code":"perf","message":"hardware counters unavailable"}]}','{"time_budget_ms":1000,"min_samples":10,"max_samples":1000,"precision":0.01,"processes":2,"cpu":-1,"filter":"*","warmup_ms":100,"timeout_ms":60000}','bench-host','dbd284e2c622d2c67a7ae4435aa32409');
INSERT INTO runs VALUES(2,'8888888888888888888888888888888888888888','main',0,1,'benchtrack','2026-11-24T16:00:00Z',1796076471,'./examples','GCC 12.2.0','-O2 NDEBUG','Debian GNU/Linux 12 (bookworm)','Linux 6.1.0-18-amd64','tsc',2300000000.0,1,'{"benchtrack_version":"0.1.0","date":"2026-11-24T16:00:00Z","executable":"./examples","host":{"hostname":"bench-host","os":"Debian GNU/Linux 12 (bookworm)","kernel":"Linux 6.1.0-18-amd64","arch":"x86_64","cpu_model":"Intel(R) Xeon(R) CPU @ 2.30GHz","cpus":2,"hypervisor":true},"timer":{"source":"tsc","hz":2300000000.0,"hz_source":"cpuid","invariant":true,"read_ns":7.0999999999999996,"resolution_ns":0.42999999999999999,"overhead_ns":9.0,"pause_ns":30.0},"perf":{"available":false,"reason":"cycles: No such file or directory"},"memtrack":{"available":true},"build":{"compiler":"GCC 12.2.0","flags":"-O2 NDEBUG","optimized":true,"assertions":false},"options":{"time_budget_ms":1000,"min_samples":10,"max_samples":1000,"precision":0.01,"processes":2,"cpu":-1,"filter":"*","warmup_ms":100,"timeout_ms":60000},"warnings":[{"code":"vm","message":"running in a virtual machine"},{"code":"perf","message":"hardware counters unavailable"}]}','{"time_budget_ms":1000,"min_samples":10,"max_samples":1000,"precision":0.01,"processes":2,"cpu":-1,"filter":"*","warmup_ms":100,"timeout_ms":60000}','bench-host','faed315a60d62d9c42056f77fb5cb141');
CREATE TABLE run_warnings ( run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE, seq INTEGER NOT NULL, text TEXT NOT NULL, PRIMARY KEY (run_id, seq)) WITHOUT ROWID;
INSERT INTO run_warnings VALUES(1,0,'vm: running in a virtual machine');
INSERT INTO run_warnings VALUES(1,1,'perf: hardware counters unavailable');
INSERT INTO run_warnings VALUES(2,0,'vm: running in a virtual machine');
INSERT INTO run_warnings VALUES(2,1,'perf: hardware counters unavailable');
CREATE TABLE benchmarks ( id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, family TEXT, has_param INTEGER NOT NULL, param INTEGER);
INSERT INTO benchmarks VALUES(1,'sort/1024','sort',1,1024);
INSERT INTO benchmarks VALUES(2,'crashy','crashy',0,NULL);
CREATE TABLE results ( id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE, benchmark_id INTEGER NOT NULL REFERENCES benchmarks(id), seq INTEGER NOT NULL, status INTEGER NOT NULL, error_kind TEXT, error_message TEXT, stop_reason TEXT, min REAL, max REAL, mean REAL, median REAL, stddev REAL, mad REAL, p50 REAL, p90 REAL, p95 REAL, p99 REAL, p999 REAL, ci_low REAL, ci_high REAL, samples INTEGER NOT NULL, iterations INTEGER NOT NULL, outliers_low INTEGER NOT NULL, outliers_high INTEGER NOT NULL, cycles_median REAL, mem_tracked INTEGER NOT NULL, allocs_per_iter REAL, frees_per_iter REAL, alloc_bytes_per_iter REAL, peak_rss_bytes INTEGER, minor_faults INTEGER, major_faults INTEGER, bytes_per_iter REAL, items_per_iter REAL, call_percentiles INTEGER NOT NULL DEFAULT 0, UNIQUE (run_id, benchmark_id));
INSERT INTO results VALUES(1,1,1,0,0,NULL,NULL,'precision',10.0,14.0,11.499999999999999999,11.0,1.1999999999999999555,0.5,11.0,13.0,13.5,14.0,14.0,10.499999999999999999,12.0,6,6000,0,1,25.30000000000000071,1,1.0,1.0,8192.0,2101248,120,0,4096.0,1024.0,0);
INSERT INTO results VALUES(2,1,2,1,1,'signal','killed by signal 11 (SIGSEGV)',NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,0,0,0,0,NULL,0,NULL,NULL,NULL,NULL,NULL,NULL,0.0,0.0,0);
INSERT INTO results VALUES(3,2,1,0,0,NULL,NULL,'precision',10.0,14.0,11.499999999999999999,11.0,1.1999999999999999555,0.5,11.0,13.0,13.5,14.0,14.0,10.499999999999999999,12.0,6,6000,0,1,25.30000000000000071,1,1.0,1.0,8192.0,2101248,120,0,4096.0,1024.0,0);
INSERT INTO results VALUES(4,2,2,1,1,'signal','killed by signal 11 (SIGSEGV)',NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,0,0,0,0,NULL,0,NULL,NULL,NULL,NULL,NULL,NULL,0.0,0.0,0);
CREATE TABLE counters ( result_id INTEGER NOT NULL REFERENCES results(id) ON DELETE CASCADE, kind INTEGER NOT NULL, name TEXT NOT NULL, value REAL, PRIMARY KEY (result_id, kind, name)) WITHOUT ROWID;
INSERT INTO counters VALUES(1,0,'comparisons',10240.499999999999999);
INSERT INTO counters VALUES(1,0,'swaps',4000.0);
INSERT INTO counters VALUES(3,0,'comparisons',10240.499999999999999);
INSERT INTO counters VALUES(3,0,'swaps',4000.0);
CREATE TABLE samples ( result_id INTEGER NOT NULL REFERENCES results(id) ON DELETE CASCADE, seq INTEGER NOT NULL, proc_index INTEGER NOT NULL, count INTEGER NOT NULL, ns BLOB NOT NULL, batch BLOB, peak_rss_bytes INTEGER, minor_faults INTEGER, major_faults INTEGER, PRIMARY KEY (result_id, seq));
INSERT INTO samples VALUES(1,0,0,3,X'000000000000244000000000000026400000000000002840',X'e803000000000000e803000000000000e803000000000000',2097152,120,0);
INSERT INTO samples VALUES(1,1,1,3,X'000000000000264000000000000025400000000000002c40',X'e803000000000000e803000000000000e803000000000000',2101248,118,0);
INSERT INTO samples VALUES(3,0,0,3,X'000000000000244000000000000026400000000000002840',X'e803000000000000e803000000000000e803000000000000',2097152,120,0);
INSERT INTO samples VALUES(3,1,1,3,X'000000000000264000000000000025400000000000002c40',X'e803000000000000e803000000000000e803000000000000',2101248,118,0);
CREATE TABLE acks ( id INTEGER PRIMARY KEY, commit_sha TEXT NOT NULL, bench_glob TEXT NOT NULL, note TEXT NOT NULL, created INTEGER NOT NULL, UNIQUE (commit_sha, bench_glob));
CREATE TABLE run_counts ( run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE, measure TEXT NOT NULL, identity TEXT);
CREATE TABLE result_metrics ( result_id INTEGER PRIMARY KEY REFERENCES results(id) ON DELETE CASCADE, count_repeat INTEGER NOT NULL, spread_min REAL, spread_max REAL, cpu_min REAL, cpu_max REAL, cpu_mean REAL, cpu_median REAL, cpu_ci_low REAL, cpu_ci_high REAL);
INSERT INTO result_metrics VALUES(1,0,NULL,NULL,9.0,12.599999999999999644,10.349999999999999645,9.9000000000000003552,9.4499999999999992894,10.80000000000000071);
CREATE TABLE cpu_samples ( result_id INTEGER NOT NULL REFERENCES results(id) ON DELETE CASCADE, seq INTEGER NOT NULL, cpu_ns BLOB NOT NULL, PRIMARY KEY (result_id, seq)) WITHOUT ROWID;
INSERT INTO cpu_samples VALUES(1,0,X'0000000000002240cdcccccccccc23409a99999999992540');
INSERT INTO cpu_samples VALUES(1,1,X'cdcccccccccc23406666666666e622403333333333332940');
CREATE INDEX runs_by_commit ON runs(commit_sha, machine_id);
CREATE INDEX results_history ON results(benchmark_id, run_id, status, min, max, mean, median, stddev, mad, p50, p90, p95, p99, p999, ci_low, ci_high, samples, iterations, outliers_low, outliers_high, cycles_median, mem_tracked, allocs_per_iter, frees_per_iter, alloc_bytes_per_iter, peak_rss_bytes, minor_faults, major_faults);
CREATE INDEX runs_lookup ON runs(id, machine_id, commit_sha);
CREATE UNIQUE INDEX runs_by_uid ON runs(uid);
COMMIT;
