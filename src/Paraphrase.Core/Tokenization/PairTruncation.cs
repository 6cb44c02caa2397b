namespace Paraphrase.Core.Tokenization;

/// <summary>
/// Hugging Face tokenizers' truncation of one or two token sequences to a budget that excludes the
/// special tokens. <c>longest_first</c> works on lengths, not token by token: the shorter sequence keeps
/// everything if the longer can absorb the cut, otherwise both get half the budget.
/// </summary>
internal static class PairTruncation
{
    /// <returns>True when anything was removed.</returns>
    public static bool Apply(List<int> first, List<int>? second, int budget, TruncationStrategy strategy)
    {
        int total = first.Count + (second?.Count ?? 0);
        if (total <= budget)
        {
            return false;
        }

        if (second is null)
        {
            if (strategy == TruncationStrategy.OnlySecond)
            {
                throw new TokenizationException("Truncation 'only_second' needs a sentence pair; use 'longest_first' for single sentences.");
            }

            Shorten(first, budget);
            return true;
        }

        if (strategy == TruncationStrategy.OnlySecond)
        {
            int toRemove = total - budget;
            if (second.Count <= toRemove)
            {
                throw new TokenizationException(
                    $"Truncation 'only_second' cannot fit the pair into {budget} tokens: the first sentence alone has {first.Count}. " +
                    "Use 'longest_first' or a larger maximum length.");
            }

            Shorten(second, second.Count - toRemove);
            return true;
        }

        int firstLength, secondLength;
        int shorter = Math.Min(first.Count, second.Count);
        if (shorter > budget)
        {
            // Both exceed the budget on their own: halves, the odd token to the second sentence
            // whichever is longer (what tokenizers 0.23 produces; see the truncation fixtures).
            firstLength = budget / 2;
            secondLength = budget - firstLength;
        }
        else
        {
            int longer = Math.Max(shorter, budget - shorter);
            if (shorter + longer > budget)
            {
                shorter = budget / 2;
                longer = budget - shorter;
            }

            bool firstIsLonger = first.Count > second.Count;
            firstLength = firstIsLonger ? longer : shorter;
            secondLength = firstIsLonger ? shorter : longer;
        }

        Shorten(first, firstLength);
        Shorten(second, secondLength);
        return true;
    }

    private static void Shorten(List<int> tokens, int length)
    {
        if (tokens.Count > length)
        {
            tokens.RemoveRange(length, tokens.Count - length);
        }
    }
}
