import { failoverBenchmark } from '/work/main/bench/failover.ts'
import { summarize } from '/work/main/bench/stats.ts'
const r = await failoverBenchmark(Number(process.argv[2] ?? 3), 100 * 1024, console.log)
console.log('healthy', summarize(r.healthy), 'failover', summarize(r.failover), 'cold', summarize(r.cold))
for (const [k, v] of Object.entries(r.steps)) console.log(k.padEnd(12), summarize(v).median, '| cold', summarize(r.coldSteps[k] ?? []).median)
