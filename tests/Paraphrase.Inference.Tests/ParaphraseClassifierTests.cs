namespace Paraphrase.Inference.Tests;

public sealed class ParaphraseClassifierTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("paraphrase-inference-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void ThirdPartyTorchExportGivesHuggingFacesLogits()
    {
        using var classifier = ParaphraseClassifier.Open(Path.Combine(Reference.Directory, "model.torch.onnx"), options: new InferenceOptions { ExecutionProvider = "cpu" });

        foreach (var expected in Reference.Json.GetProperty("eval_initial").EnumerateArray())
        {
            var predictions = classifier.Run(Reference.Pairs(expected.GetProperty("batch")));
            Assert.True(Reference.MaxDifference(expected.GetProperty("logits"), predictions) <= 1e-4);
        }

        Assert.Equal("CPU", classifier.ExecutionProvider);
    }

    [Fact]
    public void PredictionsComeInInputOrderWithProbabilities()
    {
        using var classifier = ParaphraseClassifier.Open(Path.Combine(Reference.Directory, "model.torch.onnx"));
        (string, string)[] pairs = [("The cat sat.", "A cat was sitting."), ("Stocks fell sharply on Monday after the report.", "It rained.")];

        var batch = classifier.PredictBatch(pairs);
        var single = pairs.Select(p => classifier.Predict(p.Item1, p.Item2)).ToList();

        Assert.Equal(2, batch.Count);
        for (int i = 0; i < 2; i++)
        {
            Assert.Equal(single[i].Logits[0], batch[i].Logits[0], 5);
            Assert.InRange(batch[i].Probability, 0, 1);
            Assert.Equal(batch[i].Probability > 0.5 ? 1 : 0, batch[i].Label);
        }
    }

    [Fact]
    public void CorruptAndNonBertModelsAreClearErrors()
    {
        string corrupt = Path.Combine(_directory, "corrupt.onnx");
        File.WriteAllBytes(corrupt, [1, 2, 3, 4]);
        File.Copy(Path.Combine(Reference.Directory, "vocab.txt"), Path.Combine(_directory, "vocab.txt"));

        var error = Assert.Throws<InferenceException>(() => ParaphraseClassifier.Open(corrupt));
        var missing = Assert.Throws<InferenceException>(() => ParaphraseClassifier.Open(Path.Combine(_directory, "absent.onnx")));

        Assert.Contains("cannot load it; the file is corrupt or not an ONNX model", error.Message, StringComparison.Ordinal);
        Assert.Contains("no such model file or directory", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AVocabularyLargerThanTheModelIsRefusedAtLoad()
    {
        string vocabulary = Path.Combine(_directory, "big-vocab.txt");
        File.WriteAllText(vocabulary, File.ReadAllText(Path.Combine(Reference.Directory, "vocab.txt")) + string.Join('\n', Enumerable.Range(0, 50).Select(i => $"extra{i}")) + "\n");

        var error = Assert.Throws<InferenceException>(() => ParaphraseClassifier.Open(Path.Combine(Reference.Directory, "model.torch.onnx"), vocabulary));

        Assert.Contains("30,572 tokens, more than model.torch.onnx has embeddings for", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownProviderIsAClearError()
    {
        var error = Assert.Throws<InferenceException>(() => ParaphraseClassifier.Open(Path.Combine(Reference.Directory, "model.torch.onnx"), options: new InferenceOptions { ExecutionProvider = "tpu" }));

        Assert.Contains("use auto, cpu or cuda", error.Message, StringComparison.Ordinal);
    }
}
