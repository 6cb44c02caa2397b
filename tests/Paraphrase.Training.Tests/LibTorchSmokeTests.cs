using Paraphrase.Core.Collation;
using Paraphrase.Core.Tokenization;
using Paraphrase.Training.Data;
using Paraphrase.Training.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Paraphrase.Training.Tests;

/// <summary>LibTorch loads on this machine (including the Debian 12 compat patch) and trains a small model.</summary>
public sealed class LibTorchSmokeTests
{
    [Fact]
    public void TinyClassifierRunsForwardAndBackwardOnCpu()
    {
        LibTorchRuntime.EnsureLoaded();
        torch.manual_seed(7);
        var tokenizer = new BertWordPieceTokenizer(WordPieceVocabulary.BertBaseUncased);
        EncodedPair[] encoded =
        [
            tokenizer.Encode("The cat sat on the mat.", "A cat was sitting on the mat."),
            tokenizer.Encode("Stocks fell sharply today.", "The weather is sunny."),
        ];
        var batch = new PaddingCollator(tokenizer.PaddingId).Collate(encoded, [1, 0], [0, 1]);

        using var scope = NewDisposeScope();
        using var tensors = BatchTensors.From(batch, CPU);
        var embedding = nn.Embedding(tokenizer.Vocabulary.Count, 16);
        var head = nn.Linear(16, 2);
        var mask = tensors.AttentionMask.unsqueeze(-1).to_type(ScalarType.Float32);                 // (B, T, 1)
        var pooled = (embedding.call(tensors.InputIds) * mask).sum(1) / mask.sum(1);                 // (B, 16)
        var loss = nn.functional.cross_entropy(head.call(pooled), tensors.Labels!);

        loss.backward();

        Assert.True(float.IsFinite(loss.item<float>()));
        Assert.Equal([2L, 16L], pooled.shape);
        var gradient = head.weight!.grad;
        Assert.NotNull(gradient);
        Assert.True(gradient.abs().sum().item<float>() > 0);
    }

    [Fact]
    public void BatchTensorsKeepTheCollatedLayout()
    {
        var batch = new PaddedBatch(2, 3, [101, 7, 102, 101, 102, 0], [0, 0, 0, 0, 0, 0], [1, 1, 1, 1, 1, 0], [1, 0], [0, 1]);

        using var tensors = BatchTensors.From(batch, CPU);

        Assert.Equal([2L, 3L], tensors.InputIds.shape);
        Assert.Equal(ScalarType.Int64, tensors.InputIds.dtype);
        Assert.Equal(batch.InputIds, tensors.InputIds.data<long>().ToArray());
        Assert.Equal(batch.TokenTypeIds, tensors.TokenTypeIds.data<long>().ToArray());
        Assert.Equal(batch.AttentionMask, tensors.AttentionMask.data<long>().ToArray());
        Assert.Equal(0L, tensors.AttentionMask[1, 2].item<long>());
        Assert.Equal([2L], tensors.Labels!.shape);
        Assert.Equal([1L, 0L], tensors.Labels!.data<long>().ToArray());
    }

    [Fact]
    public void UnknownDeviceIsAClearError()
    {
        var error = Assert.Throws<LibTorchUnavailableException>(() => LibTorchRuntime.ResolveDevice("tpu"));
        Assert.Contains("auto, cpu, cuda", error.Message);
    }
}
