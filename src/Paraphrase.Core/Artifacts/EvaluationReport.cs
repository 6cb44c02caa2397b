using Paraphrase.Core.Metrics;

namespace Paraphrase.Core.Artifacts;

/// <summary>
/// What <c>paraphrase evaluate --output</c> writes: a model's scores on one labelled file. The fields are flat (not
/// an <see cref="EvaluationResult"/>) so that dashboards and the pipeline read accuracy without knowing the nesting.
/// </summary>
/// <param name="Confusion">[actual, predicted]: [[TN, FP], [FN, TP]].</param>
public sealed record EvaluationReport(int Count, double Loss, double Accuracy, double F1, double Precision, double Recall, int[][] Confusion)
{
    public static EvaluationReport From(EvaluationResult result)
    {
        var m = result.Metrics;
        return new EvaluationReport(m.Count, result.Loss, m.Accuracy, m.F1, m.Precision, m.Recall, m.Confusion);
    }

    /// <summary>Writes the report atomically.</summary>
    public void Save(string path) => ArtifactJson.Write(path, this);

    /// <exception cref="InvalidDataException">The file is empty or not an evaluation report.</exception>
    public static EvaluationReport Load(string path) => ArtifactJson.Read<EvaluationReport>(path, "evaluation report");
}
