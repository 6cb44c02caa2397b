using System.Globalization;
using System.Text;
using Paraphrase.Core.Artifacts;
using Paraphrase.Training.FineTuning;
using ScottPlot;

namespace Paraphrase.Training.Reporting;

/// <summary>report.md with a loss curve and the best epoch's confusion matrix as PNG files beside it.</summary>
public static class RunReport
{
    public static void Write(RunLayout run, RunMetrics metrics)
    {
        WriteLossPlot(run.LossPlot, metrics);
        if (metrics.Best is { } best)
        {
            WriteConfusionPlot(run.ConfusionPlot, best.Evaluation.Metrics.Confusion);
        }

        File.WriteAllText(run.Report, Markdown(metrics));
    }

    private static string Markdown(RunMetrics metrics)
    {
        var text = new StringBuilder();
        var o = metrics.Options;
        string F(double value) => value.ToString("F4", CultureInfo.InvariantCulture);
        text.AppendLine("# Fine-tuning report").AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"- Status: **{metrics.Status}**");
        text.AppendLine(CultureInfo.InvariantCulture, $"- Base model: `{metrics.BaseModel}`");
        text.AppendLine(CultureInfo.InvariantCulture, $"- Train: `{metrics.Train.Source}` ({metrics.Train.Pairs:N0} pairs, sha256 {metrics.Train.ContentHash[..Math.Min(12, metrics.Train.ContentHash.Length)]}…)");
        text.AppendLine(CultureInfo.InvariantCulture, $"- Dev: `{metrics.Dev.Source}` ({metrics.Dev.Pairs:N0} pairs)");
        text.AppendLine(CultureInfo.InvariantCulture, $"- Recipe: {o.Epochs} epochs, batch {o.BatchSize}, AdamW lr {o.LearningRate:G3} (weight decay {o.WeightDecay:G3}), linear schedule, warm-up {o.WarmupSteps} steps / ratio {o.WarmupRatio:G3}, seed {o.Seed}");
        text.AppendLine(CultureInfo.InvariantCulture, $"- Device: {metrics.Device}; training {metrics.TrainingSeconds:F0} s, wall {metrics.WallSeconds:F0} s, peak memory {metrics.PeakMemoryBytes / (1024.0 * 1024 * 1024):F2} GiB");
        if (metrics.Best is { } best)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"- Best epoch by {metrics.BestMetric}: **{best.Epoch}** — accuracy {F(best.Evaluation.Metrics.Accuracy)}, F1 {F(best.Evaluation.Metrics.F1)}");
        }

        text.AppendLine().AppendLine("| epoch | train loss | dev loss | accuracy | F1 | precision | recall | steps/s | seconds |");
        text.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (var h in metrics.History)
        {
            var m = h.Evaluation.Metrics;
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {h.Epoch} | {F(h.TrainLoss)} | {F(h.Evaluation.Loss)} | {F(m.Accuracy)} | {F(m.F1)} | {F(m.Precision)} | {F(m.Recall)} | {h.StepsPerSecond:F2} | {h.Seconds:F0} |");
        }

        text.AppendLine().AppendLine("![Training loss](loss.png)").AppendLine();
        if (metrics.Best is not null)
        {
            text.AppendLine("![Confusion matrix of the best epoch on the dev split](confusion.png)");
        }

        return text.ToString();
    }

    private static void WriteLossPlot(string path, RunMetrics metrics)
    {
        var plot = new Plot();
        var losses = metrics.StepLosses.ToArray();
        if (losses.Length > 0)
        {
            var steps = Enumerable.Range(1, losses.Length).Select(s => (double)s).ToArray();
            var raw = plot.Add.ScatterLine(steps, losses);
            raw.LegendText = "step loss";
            raw.Color = Colors.SteelBlue.WithAlpha(0.35);
            int window = Math.Max(1, losses.Length / 50);
            var smooth = plot.Add.ScatterLine(steps, MovingAverage(losses, window));
            smooth.LegendText = $"moving average ({window} steps)";
            smooth.LineWidth = 2;
            smooth.Color = Colors.DarkOrange;
        }

        int stepsPerEpoch = metrics.History.Count > 0 ? losses.Length / Math.Max(1, metrics.History.Count) : 0;
        for (int e = 1; stepsPerEpoch > 0 && e < metrics.History.Count; e++)
        {
            plot.Add.VerticalLine(e * stepsPerEpoch, 1, Colors.Gray, LinePattern.Dashed);
        }

        plot.Title("Training loss");
        plot.XLabel("optimizer step");
        plot.YLabel("cross-entropy");
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(path, 800, 450);
    }

    private static void WriteConfusionPlot(string path, int[][] confusion)
    {
        var plot = new Plot();
        double max = confusion.SelectMany(r => r).DefaultIfEmpty(1).Max();
        string[] names = ["not paraphrase", "paraphrase"];
        for (int actual = 0; actual < 2; actual++)
        {
            for (int predicted = 0; predicted < 2; predicted++)
            {
                int count = confusion[actual][predicted];
                var cell = plot.Add.Rectangle(predicted, predicted + 1, 1 - actual, 2 - actual);
                cell.FillColor = Colors.SteelBlue.WithAlpha(0.15 + 0.85 * count / Math.Max(1, max));
                cell.LineColor = Colors.White;
                var label = plot.Add.Text(count.ToString("N0", CultureInfo.InvariantCulture), predicted + 0.5, 1.5 - actual);
                label.LabelFontSize = 28;
                label.LabelAlignment = Alignment.MiddleCenter;
                label.LabelFontColor = count > max / 2 ? Colors.White : Colors.Black;
            }
        }

        plot.Axes.Bottom.SetTicks([0.5, 1.5], names);
        plot.Axes.Left.SetTicks([1.5, 0.5], names);
        plot.Axes.SetLimits(0, 2, 0, 2);
        plot.Title("Confusion matrix (dev, best epoch)");
        plot.XLabel("predicted");
        plot.YLabel("actual");
        plot.SavePng(path, 520, 480);
    }

    private static double[] MovingAverage(double[] values, int window)
    {
        var result = new double[values.Length];
        double sum = 0;
        for (int i = 0; i < values.Length; i++)
        {
            sum += values[i];
            if (i >= window)
            {
                sum -= values[i - window];
            }

            result[i] = sum / Math.Min(i + 1, window);
        }

        return result;
    }
}
