using Paraphrase.Core.Metrics;

namespace Paraphrase.Core.Tests.Metrics;

public sealed class ClassificationMetricsTests
{
    [Fact]
    public void MatchesHandComputedValues()
    {
        // TP = 3, TN = 2, FP = 1, FN = 2
        int[] labels = [1, 1, 1, 1, 1, 0, 0, 0];
        int[] predictions = [1, 1, 1, 0, 0, 0, 0, 1];

        var metrics = ClassificationMetrics.From(labels, predictions);

        Assert.Equal(5.0 / 8, metrics.Accuracy, 12);
        Assert.Equal(3.0 / 4, metrics.Precision, 12);
        Assert.Equal(3.0 / 5, metrics.Recall, 12);
        Assert.Equal(2 * 0.75 * 0.6 / 1.35, metrics.F1, 12);
        Assert.Equal([[2, 1], [2, 3]], metrics.Confusion);
        Assert.Equal(metrics.F1, metrics.Get("f1"));
    }

    [Fact]
    public void NoPositivePredictionsGiveZeroF1InsteadOfNaN()
    {
        var metrics = ClassificationMetrics.From([1, 0], [0, 0]);

        Assert.Equal(0, metrics.F1);
        Assert.Equal(0.5, metrics.Accuracy);
    }
}
