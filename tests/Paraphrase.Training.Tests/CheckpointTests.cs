using Paraphrase.Training.Checkpoints;
using Paraphrase.Training.Data;
using Paraphrase.Training.Modeling;
using Paraphrase.Training.Runtime;
using static TorchSharp.torch;

namespace Paraphrase.Training.Tests;

public sealed class CheckpointTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("paraphrase-checkpoint-").FullName;

    public CheckpointTests() => LibTorchRuntime.EnsureLoaded();

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void SavedCheckpointReloadsToIdenticalLogits()
    {
        var original = HuggingFaceDirectory.Load(TinyBert.Directory, headMayBeMissing: false);
        string saved = Path.Combine(_directory, "saved");
        HuggingFaceDirectory.Save(original.Model, original.Vocabulary, saved);

        var reloaded = HuggingFaceDirectory.Load(saved, headMayBeMissing: false);

        Assert.Equal(41, reloaded.Report.Loaded);
        Assert.Empty(reloaded.Report.Unexpected);
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(original.Model.Config.ToJson(), reloaded.Model.Config.ToJson()));
        using var batch = BatchTensors.From(TinyBert.Batch(TinyBert.Reference.GetProperty("eval_initial")[0].GetProperty("batch")), CPU);
        using var noGrad = no_grad();
        original.Model.eval();
        reloaded.Model.eval();
        using var expected = original.Model.call(batch.InputIds, batch.TokenTypeIds, batch.AttentionMask);
        using var actual = reloaded.Model.call(batch.InputIds, batch.TokenTypeIds, batch.AttentionMask);
        Assert.Equal(expected.data<float>().ToArray(), actual.data<float>().ToArray());
        original.Model.Dispose();
        reloaded.Model.Dispose();
    }

    [Fact]
    public void LeftOutWeightsAreInitialisedFromTheSeedWhenLoaded()
    {
        var original = HuggingFaceDirectory.Load(TinyBert.Directory, headMayBeMissing: false);
        string saved = Path.Combine(_directory, "base");
        HuggingFaceDirectory.Save(original.Model, original.Vocabulary, saved, leaveOut: ["classifier.weight", "classifier.bias"]);

        Tensor Head(long seed)
        {
            manual_seed(seed);
            var loaded = HuggingFaceDirectory.Load(saved, headMayBeMissing: true);
            Assert.Equal(["classifier.weight", "classifier.bias"], loaded.Report.Missing);
            var head = loaded.Model.state_dict()["classifier.weight"].clone();
            loaded.Model.Dispose();
            return head;
        }

        Assert.True(Head(1).allclose(Head(1), rtol: 0, atol: 0));
        Assert.False(Head(1).allclose(Head(2), rtol: 0, atol: 0));
        original.Model.Dispose();
    }

    [Fact]
    public void PyTorchBinCheckpointsLoadLikeSafetensors()
    {
        string directory = CopyFixture("bin");
        var weights = StateDictFiles.ReadDirectory(directory);
        TorchSharp.PyBridge.PyTorchPickler.PickleStateDict(Path.Combine(directory, StateDictFiles.PyTorchName), weights);
        File.Delete(Path.Combine(directory, StateDictFiles.SafetensorsName));

        var loaded = HuggingFaceDirectory.Load(directory, headMayBeMissing: false);
        var expected = HuggingFaceDirectory.Load(TinyBert.Directory, headMayBeMissing: false);

        var actualState = loaded.Model.state_dict();
        foreach (var (name, tensor) in expected.Model.state_dict())
        {
            Assert.True(tensor.allclose(actualState[name], rtol: 0, atol: 0), name);
        }

        loaded.Model.Dispose();
        expected.Model.Dispose();
    }

    [Fact]
    public void BaseModelCheckpointGetsAFreshClassifierAndPreTrainingHeadsAreIgnored()
    {
        string directory = CopyFixture("base");
        var weights = StateDictFiles.ReadDirectory(directory);
        var baseWeights = weights.Where(w => !w.Key.StartsWith("classifier.", StringComparison.Ordinal))
            .ToDictionary(w => w.Key["bert.".Length..], w => w.Value);
        baseWeights["cls.predictions.bias"] = zeros(30522);
        StateDictFiles.WriteSafetensors(Path.Combine(directory, StateDictFiles.SafetensorsName), baseWeights);
        var messages = new List<string>();

        var loaded = HuggingFaceDirectory.Load(directory, headMayBeMissing: true, messages.Add);
        var strict = Assert.Throws<ModelFormatException>(() => HuggingFaceDirectory.Load(directory, headMayBeMissing: false));

        Assert.Equal(["classifier.weight", "classifier.bias"], loaded.Report.Missing);
        Assert.Equal(["cls.predictions.bias"], loaded.Report.Ignored);
        Assert.Contains(messages, m => m.Contains("Initialised 2 new weights", StringComparison.Ordinal));
        Assert.Contains("2 weights are missing (classifier.weight, classifier.bias)", strict.Message, StringComparison.Ordinal);
        loaded.Model.Dispose();
    }

    [Fact]
    public void CorruptWeightsAreAClearError()
    {
        string directory = CopyFixture("corrupt");
        string weights = Path.Combine(directory, StateDictFiles.SafetensorsName);
        File.WriteAllBytes(weights, File.ReadAllBytes(weights)[..5000]);

        var error = Assert.Throws<ModelFormatException>(() => HuggingFaceDirectory.Load(directory, headMayBeMissing: false));

        Assert.Contains("model.safetensors: cannot read the weights; the file is corrupt, truncated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ShapesThatDisagreeWithTheConfigAreAClearError()
    {
        string directory = CopyFixture("shapes");
        string config = Path.Combine(directory, HuggingFaceDirectory.ConfigName);
        File.WriteAllText(config, File.ReadAllText(config).Replace("\"intermediate_size\": 64", "\"intermediate_size\": 128", StringComparison.Ordinal));

        var error = Assert.Throws<ModelFormatException>(() => HuggingFaceDirectory.Load(directory, headMayBeMissing: false));

        Assert.Contains("intermediate.dense.bias' has shape [64] but the configuration expects [128]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AVocabularyLargerThanTheEmbeddingIsAClearError()
    {
        string directory = CopyFixture("vocab");
        File.AppendAllText(Path.Combine(directory, HuggingFaceDirectory.VocabularyName), "extra-token-1\nextra-token-2\n");

        var error = Assert.Throws<ModelFormatException>(() => HuggingFaceDirectory.Load(directory, headMayBeMissing: false));

        Assert.Contains("vocab.txt has 30,524 tokens but config.json's vocab_size is 30,522", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InconsistentConfigIsAClearError()
    {
        string directory = CopyFixture("heads");
        string config = Path.Combine(directory, HuggingFaceDirectory.ConfigName);
        File.WriteAllText(config, File.ReadAllText(config).Replace("\"num_attention_heads\": 2", "\"num_attention_heads\": 3", StringComparison.Ordinal));

        var error = Assert.Throws<ModelFormatException>(() => HuggingFaceDirectory.Load(directory, headMayBeMissing: false));

        Assert.Contains("hidden_size (32) must be a multiple of num_attention_heads (3)", error.Message, StringComparison.Ordinal);
    }

    private string CopyFixture(string name)
    {
        string target = Path.Combine(_directory, name);
        Directory.CreateDirectory(target);
        foreach (var file in new[] { "config.json", "model.safetensors", "vocab.txt" })
        {
            File.Copy(Path.Combine(TinyBert.Directory, file), Path.Combine(target, file));
        }

        return target;
    }
}
