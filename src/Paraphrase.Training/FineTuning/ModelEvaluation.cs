using Paraphrase.Core.Artifacts;
using Paraphrase.Core.Collation;
using Paraphrase.Core.Datasets;
using Paraphrase.Core.Tokenization;
using Paraphrase.Training.Checkpoints;
using Paraphrase.Training.Runtime;
using TorchSharp;

namespace Paraphrase.Training.FineTuning;

/// <summary>Scores a saved model on a labelled file: what <c>paraphrase evaluate</c> and the pipeline's evaluation step call.</summary>
public static class ModelEvaluation
{
    /// <param name="modelDirectory">A Hugging Face model directory (a training run directory is one).</param>
    /// <param name="dataFile">Labelled pairs; <paramref name="datasetOptions"/> say how to read them (labels are always required).</param>
    /// <param name="device">auto, cpu, cuda or cuda:N.</param>
    /// <exception cref="OperationCanceledException">Cancelled between two batches.</exception>
    public static EvaluationReport Evaluate(string modelDirectory, string dataFile, DatasetOptions? datasetOptions = null, int batchSize = 32,
        string device = "auto", Action<string>? log = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var target = LibTorchRuntime.ResolveDevice(device);
        var loaded = HuggingFaceDirectory.Load(modelDirectory, headMayBeMissing: false, log);
        using var model = loaded.Model;
        model.to(target);
        var tokenizer = new BertWordPieceTokenizer(loaded.Vocabulary, new BertTokenizerOptions { MaxLength = model.Config.MaxSequenceLength });
        var options = (datasetOptions ?? new DatasetOptions()) with { RequireLabels = true };
        var data = TokenizedDataset.From(DatasetReader.Read(dataFile, options), tokenizer);
        return EvaluationReport.From(Evaluator.Evaluate(model, data, batchSize, target, tokenizer.PaddingId, cancellationToken: cancellationToken));
    }
}
