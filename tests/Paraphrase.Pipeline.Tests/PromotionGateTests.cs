using Paraphrase.Pipeline.Contracts;
using Paraphrase.Pipeline.Promotion;

namespace Paraphrase.Pipeline.Tests;

public sealed class PromotionGateTests
{
    private static MetricSummary M(double accuracy, double f1) => new(408, accuracy, f1, 0.8, 0.9);

    [Fact]
    public void TheFirstModelIsAlwaysPromoted() =>
        Assert.True(PromotionGate.Decide(M(0.5, 0.5), null, new PromotionRule(), parityPassed: true).Promote);

    [Theory]
    [InlineData(0.82, 0.87, 0.81, 0.88, true)]   // better accuracy wins, whatever F1 does
    [InlineData(0.80, 0.90, 0.81, 0.80, false)]  // worse accuracy loses
    [InlineData(0.81, 0.88, 0.81, 0.87, true)]   // tie on accuracy: higher F1 wins
    [InlineData(0.81, 0.87, 0.81, 0.87, false)]  // a full tie keeps the champion
    public void AccuracyDecidesAndF1BreaksTies(double accuracy, double f1, double championAccuracy, double championF1, bool promoted) =>
        Assert.Equal(promoted, PromotionGate.Decide(M(accuracy, f1), M(championAccuracy, championF1), new PromotionRule(), true).Promote);

    [Fact]
    public void AMarginMustBeCleared()
    {
        var rule = new PromotionRule { Margin = 0.01 };
        Assert.False(PromotionGate.Decide(M(0.815, 0.9), M(0.81, 0.9), rule, true).Promote);
        Assert.True(PromotionGate.Decide(M(0.82, 0.9), M(0.81, 0.9), rule, true).Promote);
    }

    [Fact]
    public void TheConfiguredMetricDecides()
    {
        var decision = PromotionGate.Decide(M(0.80, 0.90), M(0.82, 0.88), new PromotionRule { Metric = "f1" }, true);
        Assert.True(decision.Promote);
        Assert.Contains("f1 0.9000 vs champion 0.8800", decision.Reason);
    }

    [Fact]
    public void AFailedParityCheckIsNeverPromoted()
    {
        var decision = PromotionGate.Decide(M(0.99, 0.99), null, new PromotionRule(), parityPassed: false);
        Assert.False(decision.Promote);
        Assert.Contains("parity", decision.Reason);
    }

    [Fact]
    public void AnUnknownMetricIsAnError() =>
        Assert.Throws<ArgumentException>(() => PromotionGate.Decide(M(0.8, 0.8), M(0.7, 0.7), new PromotionRule { Metric = "auc" }, true));
}
