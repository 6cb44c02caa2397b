using System.Text.Json;
using Paraphrase.Core.Collation;
using Paraphrase.Training.Checkpoints;
using Paraphrase.Training.Modeling;
using static TorchSharp.torch;

namespace Paraphrase.Training.Tests;

/// <summary>The tiny-bert fixture: a seeded random BertForSequenceClassification and Hugging Face's outputs for it.</summary>
internal static class TinyBert
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "Fixtures", "tiny-bert");

    public static JsonElement Reference { get; } = JsonDocument.Parse(File.ReadAllText(Path.Combine(Directory, "reference.json"))).RootElement;

    public static BertForSequenceClassification LoadModel()
    {
        var model = new BertForSequenceClassification(BertConfig.Load(Path.Combine(Directory, "config.json")));
        var report = WeightLoader.Load(model, StateDictFiles.ReadDirectory(Directory), Directory);
        Assert.Empty(report.Missing);
        Assert.Empty(report.Unexpected);
        return model;
    }

    /// <summary>A reference batch (input_ids, token_type_ids, attention_mask, labels) as the collator would produce it.</summary>
    public static PaddedBatch Batch(JsonElement batch)
    {
        long[] Flatten(string name) => [.. batch.GetProperty(name).EnumerateArray().SelectMany(row => row.EnumerateArray().Select(v => v.GetInt64()))];
        var rows = batch.GetProperty("input_ids").GetArrayLength();
        var length = batch.GetProperty("input_ids")[0].GetArrayLength();
        long[] labels = [.. batch.GetProperty("labels").EnumerateArray().Select(v => v.GetInt64())];
        return new PaddedBatch(rows, length, Flatten("input_ids"), Flatten("token_type_ids"), Flatten("attention_mask"), labels, [.. Enumerable.Range(0, rows)]);
    }

    public static float[,] Matrix(JsonElement rows)
    {
        var result = new float[rows.GetArrayLength(), rows[0].GetArrayLength()];
        for (int i = 0; i < result.GetLength(0); i++)
        {
            for (int j = 0; j < result.GetLength(1); j++)
            {
                result[i, j] = rows[i][j].GetSingle();
            }
        }

        return result;
    }

    public static void AssertClose(float[,] expected, Tensor actual, double tolerance)
    {
        var values = actual.detach().cpu().data<float>().ToArray();
        Assert.Equal(expected.Length, values.Length);
        double worst = 0;
        for (int i = 0; i < values.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(expected[i / expected.GetLength(1), i % expected.GetLength(1)] - values[i]));
        }

        Assert.True(worst <= tolerance, $"max |difference| {worst:E2} exceeds {tolerance:E0}");
    }
}
