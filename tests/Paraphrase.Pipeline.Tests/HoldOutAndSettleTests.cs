using Paraphrase.Core.Datasets;
using Paraphrase.Pipeline.Activities;
using Paraphrase.Pipeline.Storage;
using Paraphrase.Pipeline.Triggers;

namespace Paraphrase.Pipeline.Tests;

public sealed class HoldOutAndSettleTests
{
    private static readonly SentencePair[] Pairs = [.. Enumerable.Range(0, 100).Select(i => new SentencePair($"a{i}", $"b{i}", i % 2, i + 2))];

    [Fact]
    public void TheHoldOutIsSeededDisjointAndComplete()
    {
        var (train, dev) = HoldOut.Split(Pairs, 0.1, seed: 42);
        Assert.Equal(10, dev.Count);
        Assert.Equal(90, train.Count);
        Assert.Empty(train.Intersect(dev));
        Assert.Equal(Pairs.OrderBy(p => p.Line), train.Concat(dev).OrderBy(p => p.Line));
        Assert.Equal(dev, HoldOut.Split(Pairs, 0.1, seed: 42).Dev);
        Assert.NotEqual(dev, HoldOut.Split(Pairs, 0.1, seed: 43).Dev);
    }

    [Fact]
    public void AFolderSettlesOnlyAfterItWasQuietLongEnough()
    {
        var now = new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);
        var blobs = new[]
        {
            new StoredBlob(new BlobPath("datasets", "mrpc/train.tsv"), "train.tsv", "\"1\"", 10, now.AddSeconds(-30)),
            new StoredBlob(new BlobPath("datasets", "mrpc/dev.tsv"), "dev.tsv", "\"2\"", 10, now.AddSeconds(-4)),
        };
        Assert.False(UploadSettle.IsSettled(blobs, now, TimeSpan.FromSeconds(10)));
        Assert.True(UploadSettle.IsSettled(blobs, now.AddSeconds(6), TimeSpan.FromSeconds(10)));
        Assert.NotEqual(UploadSettle.Fingerprint(blobs), UploadSettle.Fingerprint([blobs[0], blobs[1] with { ETag = "\"3\"" }]));
        Assert.Equal(UploadSettle.Fingerprint(blobs), UploadSettle.Fingerprint(blobs.Reverse()));
        Assert.Equal("mrpc", UploadSettle.DatasetOf("mrpc/train.tsv"));
        Assert.Null(UploadSettle.DatasetOf("loose.tsv"));
    }
}
