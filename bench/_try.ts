import { failoverBenchmark } from './failover.ts'
import { summarize } from './stats.ts'
const r = await failoverBenchmark(Number(process.argv[2] ?? 3), 100 * 1024, console.log)
console.log('healthy', summarize(r.healthy).median, 'failover', summarize(r.failover).median, 'cold', summarize(r.cold).median)
for (const [k, v] of Object.entries(r.steps)) console.log(k.padEnd(14), summarize(v).median.toFixed(0), '| cold', summarize(r.coldSteps[k] ?? []).median.toFixed(0))
