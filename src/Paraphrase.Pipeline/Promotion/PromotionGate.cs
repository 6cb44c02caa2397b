using Paraphrase.Pipeline.Contracts;

namespace Paraphrase.Pipeline.Promotion;

/// <summary>
/// Decides whether a candidate replaces the champion: only if its export passed the parity check and, on the same
/// dev data, its metric beats the champion's by at least the margin; with no margin, equal metrics go to the higher F1
/// (the higher accuracy when the metric is F1). The first model is always promoted.
/// </summary>
public static class PromotionGate
{
    private const double Tolerance = 1e-12;

    /// <summary>Why a candidate whose export failed its parity check is never served, by the gate or by hand.</summary>
    public const string ParityFailed = "not promoted: the ONNX export did not pass its parity check against the trained model";

    public static (bool Promote, string Reason) Decide(MetricSummary candidate, MetricSummary? champion, PromotionRule rule, bool parityPassed)
    {
        string metric = rule.Metric.ToLowerInvariant();
        double mine = candidate.Get(metric);
        if (!parityPassed)
        {
            return (false, ParityFailed);
        }

        if (champion is null)
        {
            return (true, $"promoted: first model ({metric} {mine:F4})");
        }

        double theirs = champion.Get(metric), gain = mine - theirs;
        string versus = $"{metric} {mine:F4} vs champion {theirs:F4}";
        if (rule.Margin > 0)
        {
            return gain + Tolerance >= rule.Margin
                ? (true, $"promoted: {versus}, better by at least the margin {rule.Margin:F4}")
                : (false, $"not promoted: {versus}, needs to be better by {rule.Margin:F4}");
        }

        if (gain > Tolerance)
        {
            return (true, $"promoted: {versus}");
        }

        if (gain < -Tolerance)
        {
            return (false, $"not promoted: {versus}");
        }

        string tieMetric = metric == "f1" ? "accuracy" : "f1";
        double tieMine = candidate.Get(tieMetric), tieTheirs = champion.Get(tieMetric);
        return tieMine - tieTheirs > Tolerance
            ? (true, $"promoted: {versus} (tie), {tieMetric} {tieMine:F4} vs {tieTheirs:F4}")
            : (false, $"not promoted: {versus} (tie), {tieMetric} {tieMine:F4} vs {tieTheirs:F4} is not better");
    }
}
