import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { evaluateFraud, loadFraudStream, DEFAULT_FRAUD_EVAL_OPTIONS } from '../../anomaly/eval/fraud-eval.js';
import { evaluateStockout, loadStockoutDays } from '../../anomaly/eval/stockout-eval.js';
import { CliError } from '../cli-error.js';

function requireFile(path: string, what: string): void {
  if (!existsSync(path)) throw new CliError(`csv: ${path} does not exist (expected ${what})`);
}

function readDate(value: string): Date {
  const d = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) throw new CliError(`--tune-before: "${value}" is not a date (YYYY-MM-DD)`);
  return d;
}

function readPrecision(value: string): number {
  const p = Number(value);
  if (!(p > 0 && p <= 1)) throw new CliError(`--target-precision: "${value}" must be a number in (0, 1]`);
  return p;
}

export function registerAnomalyCommand(program: Command): void {
  const anomaly = program.command('anomaly').description('Anomaly detection: evaluations of the order and stock detectors');

  anomaly
    .command('eval-fraud')
    .description('Stream labelled first orders in purchase order, tune on the early period, report the later one')
    .argument('<csv>', 'fraud_data_sample.csv of the fraud-ecommerce data set')
    .option('--tune-before <date>', 'orders before this date tune weights and the hold threshold', '2015-06-01')
    .option('--target-precision <p>', 'precision the hold threshold must keep on the tune period', '0.95')
    .action((csv: string, opts: { tuneBefore: string; targetPrecision: string }) => {
      requireFile(csv, 'the fraud-ecommerce sample');
      const options = {
        ...DEFAULT_FRAUD_EVAL_OPTIONS,
        tuneBefore: readDate(opts.tuneBefore),
        targetPrecision: readPrecision(opts.targetPrecision),
      };
      const { orders, fraud } = loadFraudStream(csv);
      const report = evaluateFraud(orders, fraud, options);
      console.log(`orders ${orders.length}, tune before ${opts.tuneBefore}, hold threshold ${report.hold_threshold}`);
      console.log(`fitted weights: ${JSON.stringify(report.weights)}`);
      console.log(`rule firings (tune / test): ${JSON.stringify(report.rule_firings)}`);
      for (const period of ['tune', 'test', 'all'] as const) {
        const r = report[period];
        console.log(
          `${period.padEnd(5)} orders ${r.orders} fraud ${r.fraud} held ${r.held}: precision ${r.precision} recall ${r.recall} f1 ${r.f1} pr_auc ${r.pr_auc}`,
        );
      }
      const pick = (r: (typeof report)['test']) => ({ precision: r.precision, recall: r.recall, f1: r.f1, pr_auc: r.pr_auc });
      console.log(
        JSON.stringify({ test: pick(report.test), all: pick(report.all), tune: pick(report.tune), hold_threshold: report.hold_threshold }),
      );
    });

  anomaly
    .command('eval-stockout')
    .description('Flag "stock-out expected tomorrow" day by day and compare with the yesterday-was-out baseline')
    .argument('<csv>', 'freshretailnet50k_sample_daily_300series.csv of the retail-demand data set')
    .action((csv: string) => {
      requireFile(csv, 'the FreshRetailNet daily sample');
      const report = evaluateStockout(loadStockoutDays(csv));
      console.log(`series-days scored ${report.days_scored}, with a stock-out ${report.stockout_days}`);
      for (const name of ['model', 'baseline', 'flag_all'] as const) {
        const r = report[name];
        console.log(`${name.padEnd(8)} flagged ${r.flagged}: precision ${r.precision} recall ${r.recall} f1 ${r.f1}`);
      }
      const pick = (r: (typeof report)['model']) => ({ precision: r.precision, recall: r.recall, f1: r.f1 });
      console.log(
        JSON.stringify({ model: pick(report.model), baseline: pick(report.baseline), flag_all: pick(report.flag_all), beats_baseline: report.beats_baseline }),
      );
    });
}
