namespace Paraphrase.Core.Metrics;

/// <summary>
/// Binary classification quality with "paraphrase" (label 1) as the positive class, as GLUE MRPC reports it.
/// <see cref="Confusion"/> is [actual, predicted]: [[TN, FP], [FN, TP]].
/// </summary>
public sealed record ClassificationMetrics(int Count, double Accuracy, double F1, double Precision, double Recall, int[][] Confusion)
{
    public static ClassificationMetrics From(IReadOnlyList<int> labels, IReadOnlyList<int> predictions)
    {
        if (labels.Count != predictions.Count)
        {
            throw new ArgumentException($"{labels.Count} labels but {predictions.Count} predictions.");
        }

        int tp = 0, tn = 0, fp = 0, fn = 0;
        for (int i = 0; i < labels.Count; i++)
        {
            switch ((labels[i], predictions[i]))
            {
                case (1, 1): tp++; break;
                case (0, 0): tn++; break;
                case (0, _): fp++; break;
                default: fn++; break;
            }
        }

        double precision = tp + fp == 0 ? 0 : (double)tp / (tp + fp);
        double recall = tp + fn == 0 ? 0 : (double)tp / (tp + fn);
        double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        double accuracy = labels.Count == 0 ? 0 : (double)(tp + tn) / labels.Count;
        return new ClassificationMetrics(labels.Count, accuracy, f1, precision, recall, [[tn, fp], [fn, tp]]);
    }

    /// <summary>The value of a metric by name (accuracy, f1, precision, recall), for choosing the best checkpoint.</summary>
    public double Get(string name) => name.ToLowerInvariant() switch
    {
        "accuracy" => Accuracy,
        "f1" => F1,
        "precision" => Precision,
        "recall" => Recall,
        _ => throw new ArgumentException($"Unknown metric '{name}'; use accuracy, f1, precision or recall."),
    };
}
