namespace Paraphrase.Core.Tokenization;

/// <summary>How a pair longer than the maximum length is shortened (Hugging Face's names).</summary>
public enum TruncationStrategy
{
    /// <summary>Shorten the longer sequence first, splitting the budget when both are long.</summary>
    LongestFirst,

    /// <summary>Shorten only the second sentence; an error if that is not enough.</summary>
    OnlySecond,
}
