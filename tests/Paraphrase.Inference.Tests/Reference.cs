using System.Text.Json;
using Paraphrase.Core.Tokenization;

namespace Paraphrase.Inference.Tests;

/// <summary>The tiny-bert fixture: Hugging Face's reference batches and logits.</summary>
internal static class Reference
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "Fixtures", "tiny-bert");

    public static JsonElement Json { get; } = JsonDocument.Parse(File.ReadAllText(Path.Combine(Directory, "reference.json"))).RootElement;

    /// <summary>The pairs of a padded reference batch, padding removed.</summary>
    public static List<EncodedPair> Pairs(JsonElement batch)
    {
        var pairs = new List<EncodedPair>();
        for (int row = 0; row < batch.GetProperty("input_ids").GetArrayLength(); row++)
        {
            int length = batch.GetProperty("attention_mask")[row].EnumerateArray().Count(v => v.GetInt32() == 1);
            int[] Take(string name) => [.. batch.GetProperty(name)[row].EnumerateArray().Take(length).Select(v => v.GetInt32())];
            pairs.Add(new EncodedPair(Take("input_ids"), Take("token_type_ids"), false));
        }

        return pairs;
    }

    public static double MaxDifference(JsonElement expectedLogits, IReadOnlyList<Prediction> predictions)
    {
        double worst = 0;
        for (int row = 0; row < predictions.Count; row++)
        {
            for (int j = 0; j < predictions[row].Logits.Length; j++)
            {
                worst = Math.Max(worst, Math.Abs(expectedLogits[row][j].GetSingle() - predictions[row].Logits[j]));
            }
        }

        return worst;
    }
}
