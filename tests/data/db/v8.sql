-- A schema v8 database written by benchtrack at 1c2a582 (the main branch before each
-- process's branch_ratio was stored): tests/data/json/valid/shared.json (memcpy/64: two
-- processes alone at ~2.5 ns and three on a shared core at ~4.5 ns, which import sets
-- aside; cpu: the shared ones only 1 % slower) imported under one commit. v8 did not keep
-- the branch ratios. Made with
-- benchtrack import tests/data/json/valid/shared.json --db v8.db --commit 8888888888888888888888888888888888888888 --allow-unknown-commit --branch main
-- and sqlite3 v8.db .dump; the user_version line added (.dump leaves it out). Loaded by
-- test_store (migration to v9).
PRAGMA user_version=8;
PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE machines ( id INTEGER PRIMARY KEY, fingerprint TEXT NOT NULL UNIQUE, hostname TEXT, arch TEXT, cpu_model TEXT, cpus INTEGER, name TEXT);
INSERT INTO machines VALUES(1,'bc8f7999adfbb5aab0339bd9874c2fbe','bench-host','x86_64','Intel(R) Xeon(R) CPU @ 2.30GHz',2,NULL);
CREATE TABLE commits ( sha TEXT PRIMARY KEY, known INTEGER NOT NULL, time INTEGER, author TEXT, subject TEXT, parents TEXT) WITHOUT ROWID;
INSERT INTO commits VALUES('8888888888888888888888888888888888888888',0,NULL,NULL,NULL,NULL);
CREATE TABLE runs ( id INTEGER PRIMARY KEY, commit_sha TEXT REFERENCES commits(sha), branch TEXT, dirty INTEGER NOT NULL, machine_id INTEGER NOT NULL REFERENCES machines(id), format TEXT NOT NULL, date TEXT, stored_at INTEGER NOT NULL, executable TEXT, compiler TEXT, flags TEXT, os TEXT, kernel TEXT, timer_source TEXT, timer_hz REAL, hypervisor INTEGER NOT NULL, context_json TEXT, options_json TEXT, hostname TEXT, uid TEXT);
INSERT INTO runs VALUES(1,'8888888888888888888888888888888888888888','main',0,1,'benchtrack','2026-12-04T09:00:00Z',1796306109,'./examples','GCC 12.2.0','-O2 NDEBUG','Debian GNU/Linux 12 (bookworm)','Linux 6.1.0-18-amd64','tsc',2300000000.0,1,'{"benchtrack_version":"0.1.0","date":"2026-12-04T09:00:00Z","executable":"./examples","host":{"hostname":"bench-host","os":"Debian GNU/Linux 12 (bookworm)","kernel":"Linux 6.1.0-18-amd64","arch":"x86_64","cpu_model":"Intel(R) Xeon(R) CPU @ 2.30GHz","cpus":2,"hypervisor":true},"timer":{"source":"tsc","hz":2300000000.0,"hz_source":"cpuid","invariant":true,"read_ns":7.0999999999999996,"resolution_ns":0.42999999999999999,"overhead_ns":9.0,"pause_ns":30.0},"perf":{"available":false,"reason":"cycles: No such file or directory"},"memtrack":{"available":true},"build":{"compiler":"GCC 12.2.0","flags":"-O2 NDEBUG","optimized":true,"assertions":false},"options":{"time_budget_ms":1000,"min_samples":10,"max_samples":1000,"precision":0.01,"processes":5,"cpu":-1,"filter":"*","warmup_ms":100,"timeout_ms":60000},"warnings":[{"code":"vm","message":"running in a virtual machine"},{"code":"perf","message":"hardware counters unavailable"}]}','{"time_budget_ms":1000,"min_samples":10,"max_samples":1000,"precision":0.01,"processes":5,"cpu":-1,"filter":"*","warmup_ms":100,"timeout_ms":60000}','bench-host','5d118fafc63d942d80c0c8b20c386c65');
CREATE TABLE run_warnings ( run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE, seq INTEGER NOT NULL, text TEXT NOT NULL, PRIMARY KEY (run_id, seq)) WITHOUT ROWID;
INSERT INTO run_warnings VALUES(1,0,'vm: running in a virtual machine');
INSERT INTO run_warnings VALUES(1,1,'perf: hardware counters unavailable');
CREATE TABLE benchmarks ( id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, family TEXT, has_param INTEGER NOT NULL, param INTEGER);
INSERT INTO benchmarks VALUES(1,'memcpy/64','memcpy',1,64);
INSERT INTO benchmarks VALUES(2,'cpu','cpu',0,NULL);
CREATE TABLE results ( id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE, benchmark_id INTEGER NOT NULL REFERENCES benchmarks(id), seq INTEGER NOT NULL, status INTEGER NOT NULL, error_kind TEXT, error_message TEXT, stop_reason TEXT, min REAL, max REAL, mean REAL, median REAL, stddev REAL, mad REAL, p50 REAL, p90 REAL, p95 REAL, p99 REAL, p999 REAL, ci_low REAL, ci_high REAL, samples INTEGER NOT NULL, iterations INTEGER NOT NULL, outliers_low INTEGER NOT NULL, outliers_high INTEGER NOT NULL, cycles_median REAL, mem_tracked INTEGER NOT NULL, allocs_per_iter REAL, frees_per_iter REAL, alloc_bytes_per_iter REAL, peak_rss_bytes INTEGER, minor_faults INTEGER, major_faults INTEGER, bytes_per_iter REAL, items_per_iter REAL, call_percentiles INTEGER NOT NULL DEFAULT 0, UNIQUE (run_id, benchmark_id));
INSERT INTO results VALUES(1,1,1,0,0,NULL,NULL,'precision',2.3999999999999999111,2.7000000000000001776,2.5499999999999998223,2.5499999999999998223,0.10000000000000000555,0.10000000000000000555,2.5499999999999998223,2.7000000000000001776,2.7000000000000001776,2.7000000000000001776,2.7000000000000001776,2.3999999999999999111,2.7000000000000001776,6,1500000,0,0,NULL,0,NULL,NULL,NULL,1048576,90,0,0.0,0.0,0);
INSERT INTO results VALUES(2,1,2,1,0,NULL,NULL,'precision',99.499999999999999998,101.59999999999999431,100.71333300000000576,100.79999999999999715,0.10000000000000000555,0.10000000000000000555,100.79999999999999715,101.59999999999999431,101.59999999999999431,101.59999999999999431,101.59999999999999431,99.499999999999999998,101.59999999999999431,15,1500000,0,0,NULL,0,NULL,NULL,NULL,1048576,90,0,0.0,0.0,0);
CREATE TABLE counters ( result_id INTEGER NOT NULL REFERENCES results(id) ON DELETE CASCADE, kind INTEGER NOT NULL, name TEXT NOT NULL, value REAL, PRIMARY KEY (result_id, kind, name)) WITHOUT ROWID;
CREATE TABLE samples ( result_id INTEGER NOT NULL REFERENCES results(id) ON DELETE CASCADE, seq INTEGER NOT NULL, proc_index INTEGER NOT NULL, count INTEGER NOT NULL, ns BLOB NOT NULL, batch BLOB, peak_rss_bytes INTEGER, minor_faults INTEGER, major_faults INTEGER, PRIMARY KEY (result_id, seq));
INSERT INTO samples VALUES(1,0,0,3,X'00000000000004403333333333330340cdcccccccccc0440',X'a086010000000000a086010000000000a086010000000000',1048576,90,0);
INSERT INTO samples VALUES(1,1,1,3,X'cdcccccccccc044000000000000004409a99999999990540',X'a086010000000000a086010000000000a086010000000000',1048576,90,0);
INSERT INTO samples VALUES(1,2,2,3,X'9a9999999999114000000000000012406666666666661240',X'a086010000000000a086010000000000a086010000000000',1048576,90,0);
INSERT INTO samples VALUES(1,3,3,3,X'33333333333311409a999999999911400000000000001240',X'a086010000000000a086010000000000a086010000000000',1048576,90,0);
INSERT INTO samples VALUES(1,4,4,3,X'00000000000012406666666666661240cdcccccccccc1240',X'a086010000000000a086010000000000a086010000000000',1048576,90,0);
INSERT INTO samples VALUES(2,0,0,3,X'00000000000059400000000000e058400000000000205940',X'a086010000000000a086010000000000a086010000000000',1048576,90,0);
INSERT INTO samples VALUES(2,1,1,3,X'cdcccccccc0c59403333333333f358406666666666265940',X'a086010000000000a086010000000000a086010000000000',1048576,90,0);
INSERT INTO samples VALUES(2,2,2,3,X'000000000040594066666666662659409a99999999595940',X'a086010000000000a086010000000000a086010000000000',1048576,90,0);
INSERT INTO samples VALUES(2,3,3,3,X'66666666664659409a999999993959400000000000605940',X'a086010000000000a086010000000000a086010000000000',1048576,90,0);
INSERT INTO samples VALUES(2,4,4,3,X'cdcccccccc4c594033333333333359406666666666665940',X'a086010000000000a086010000000000a086010000000000',1048576,90,0);
CREATE TABLE acks ( id INTEGER PRIMARY KEY, commit_sha TEXT NOT NULL, bench_glob TEXT NOT NULL, note TEXT NOT NULL, created INTEGER NOT NULL, UNIQUE (commit_sha, bench_glob));
CREATE TABLE run_counts ( run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE, measure TEXT NOT NULL, identity TEXT);
CREATE TABLE result_metrics ( result_id INTEGER PRIMARY KEY REFERENCES results(id) ON DELETE CASCADE, count_repeat INTEGER NOT NULL, spread_min REAL, spread_max REAL, cpu_min REAL, cpu_max REAL, cpu_mean REAL, cpu_median REAL, cpu_ci_low REAL, cpu_ci_high REAL, core_min REAL, core_max REAL, core_mean REAL, core_median REAL, core_ci_low REAL, core_ci_high REAL);
CREATE TABLE cpu_samples ( result_id INTEGER NOT NULL REFERENCES results(id) ON DELETE CASCADE, seq INTEGER NOT NULL, cpu_ns BLOB NOT NULL, PRIMARY KEY (result_id, seq)) WITHOUT ROWID;
CREATE TABLE clock_samples ( result_id INTEGER NOT NULL REFERENCES results(id) ON DELETE CASCADE, seq INTEGER NOT NULL, clock BLOB NOT NULL, PRIMARY KEY (result_id, seq)) WITHOUT ROWID;
CREATE INDEX runs_by_commit ON runs(commit_sha, machine_id);
CREATE INDEX results_history ON results(benchmark_id, run_id, status, min, max, mean, median, stddev, mad, p50, p90, p95, p99, p999, ci_low, ci_high, samples, iterations, outliers_low, outliers_high, cycles_median, mem_tracked, allocs_per_iter, frees_per_iter, alloc_bytes_per_iter, peak_rss_bytes, minor_faults, major_faults);
CREATE INDEX runs_lookup ON runs(id, machine_id, commit_sha);
CREATE UNIQUE INDEX runs_by_uid ON runs(uid);
COMMIT;
