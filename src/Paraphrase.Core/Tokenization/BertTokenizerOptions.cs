namespace Paraphrase.Core.Tokenization;

/// <summary>How text becomes BERT input ids. The defaults are bert-base-uncased's.</summary>
public sealed record BertTokenizerOptions
{
    /// <summary>Lower-case the text; false for cased models.</summary>
    public bool Lowercase { get; init; } = true;

    /// <summary>Strip accents; null follows <see cref="Lowercase"/> (Hugging Face's default).</summary>
    public bool? StripAccents { get; init; }

    /// <summary>Longest encoding, special tokens included; null means no truncation.</summary>
    public int? MaxLength { get; init; }

    /// <summary>Which sentence gives up tokens when a pair is longer than <see cref="MaxLength"/>.</summary>
    public TruncationStrategy Truncation { get; init; } = TruncationStrategy.LongestFirst;

    /// <summary>Words longer than this many characters become [UNK], as in Hugging Face's WordPiece.</summary>
    public int MaxInputCharsPerWord { get; init; } = 100;
}
