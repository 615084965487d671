import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { backfillFeatureCounters } from '../../anomaly/backfill-feature-counters.js';
import { evaluateFraud, loadFraudStream, DEFAULT_FRAUD_EVAL_OPTIONS } from '../../anomaly/eval/fraud-eval.js';
import { fitStockoutForecast } from '../../anomaly/eval/fit-stockout-forecast.js';
import { evaluateStockout, loadHourlySales, loadStockoutDays, STOCKOUT_SPLIT, type StockoutScores } from '../../anomaly/eval/stockout-eval.js';
import { STOCKOUT_COEFFICIENTS_FILE, STOCKOUT_FEATURES, stockoutCoefficients, type StockoutCoefficients } from '../../anomaly/stockout-forecast.js';
import { CliError } from '../cli-error.js';
import { withDb } from '../with-db.js';

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
    .command('backfill')
    .description('Build the risk feature counters from the order history, oldest first; resumes where a stopped run left off')
    .option('--max-orders <n>', 'stop after this many orders (run again to go on)')
    .action((opts: { maxOrders?: string }) => {
      const max = opts.maxOrders === undefined ? undefined : Number(opts.maxOrders);
      if (max !== undefined && !(Number.isInteger(max) && max > 0)) throw new CliError(`--max-orders: "${opts.maxOrders}" must be a whole number above 0`);
      return withDb(async (db) => {
        const r = await backfillFeatureCounters(db, { ...(max ? { maxOrders: max } : {}), log: (l) => console.log(l) });
        console.log(`${r.observed} orders folded into the counters by this run, ${r.total} in all; ${r.finished ? 'history complete' : 'more to go: run again'}`);
      });
    });

  anomaly
    .command('fit-stockout')
    .description('Fit the stock-out forecast on the days before the evaluation split, tune its threshold on the validation days')
    .argument('<daily-csv>', 'freshretailnet50k_sample_daily_300series.csv of the retail-demand data set')
    .argument('<hourly-csv>', 'freshretailnet50k_sample_hourly_30series.csv of the retail-demand data set')
    .option('--write <json>', 'where to write the coefficients', STOCKOUT_COEFFICIENTS_FILE)
    .action((daily: string, hourly: string, opts: { write: string }) => {
      requireFile(daily, 'the FreshRetailNet daily sample');
      requireFile(hourly, 'the FreshRetailNet hourly sample');
      const { coefficients, validation } = fitStockoutForecast(loadStockoutDays(daily), loadHourlySales(hourly));
      writeFileSync(opts.write, `${JSON.stringify(coefficients, null, 2)}\n`);
      console.log(`fitted before ${STOCKOUT_SPLIT.evaluationFrom}; threshold ${coefficients.threshold} tuned on ${STOCKOUT_SPLIT.validationFrom} .. ${STOCKOUT_SPLIT.evaluationFrom}`);
      console.log(`weights ${JSON.stringify(Object.fromEntries(STOCKOUT_FEATURES.map((n, i) => [n, coefficients.weights[i]])))}`);
      console.log(`promotion lift ${coefficients.promotionLift}, demand spread ${coefficients.demandSpread}`);
      printScores(`validation series-days ${validation.days_scored}`, validation);
      console.log(`wrote ${opts.write}`);
    });

  anomaly
    .command('eval-stockout')
    .description('Flag "stock-out expected tomorrow" on the evaluation days and compare with the naive baseline and flag-all')
    .argument('<csv>', 'freshretailnet50k_sample_daily_300series.csv of the retail-demand data set')
    .option('--coefficients <json>', 'fitted coefficients (default: the ones shipped with the code)')
    .action((csv: string, opts: { coefficients?: string }) => {
      requireFile(csv, 'the FreshRetailNet daily sample');
      const c = opts.coefficients ? (JSON.parse(readFileSync(opts.coefficients, 'utf8')) as StockoutCoefficients) : stockoutCoefficients();
      const report = evaluateStockout(loadStockoutDays(csv), c);
      printScores(`evaluation from ${report.from}: series-days ${report.days_scored}, with a stock-out ${report.stockout_days}, threshold ${report.threshold}`, report);
      const pick = (r: StockoutScores) => ({ precision: r.precision, recall: r.recall, f1: r.f1, pr_auc: r.pr_auc });
      console.log(
        `model F1 ${report.f1_margin >= 0 ? '+' : ''}${report.f1_margin} against the better baseline; floor +${report.floor_margin}: ${report.below_floor ? 'BELOW FLOOR' : 'ok'}`,
      );
      console.log(
        JSON.stringify({ model: pick(report.model), naive: pick(report.naive), flag_all: pick(report.flag_all), f1_margin: report.f1_margin, floor_margin: report.floor_margin }),
      );
      if (report.below_floor) process.exitCode = 1;
    });
}

function printScores(title: string, r: { model: StockoutScores; naive: StockoutScores; flag_all: StockoutScores }): void {
  console.log(title);
  for (const name of ['model', 'naive', 'flag_all'] as const) {
    const s = r[name];
    console.log(`  ${name.padEnd(8)} flagged ${String(s.flagged).padStart(5)}: precision ${s.precision} recall ${s.recall} f1 ${s.f1} pr_auc ${s.pr_auc}`);
  }
}
