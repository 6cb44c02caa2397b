using System.Text;
using Microsoft.ML.Tokenizers;

namespace Paraphrase.Core.Tokenization;

/// <summary>
/// BERT tokenization identical to Hugging Face's <c>BertWordPieceTokenizer</c> / <c>bert-base-uncased</c>:
/// special tokens written in the text are kept whole, the rest goes through <see cref="BertNormalizer"/>,
/// <see cref="BertPreTokenizer"/> and Microsoft.ML.Tokenizers' WordPiece model, then truncation and
/// <c>[CLS] A [SEP] B [SEP]</c>. Thread-safe.
/// </summary>
public sealed class BertWordPieceTokenizer
{
    private const string Unknown = "[UNK]", Classifier = "[CLS]", Separator = "[SEP]", Padding = "[PAD]", Mask = "[MASK]";

    private readonly WordPieceTokenizer _wordPiece;
    private readonly BertNormalizer _normalizer;
    private readonly string[] _specialTokens;
    private readonly int _unknownId;

    public BertWordPieceTokenizer(WordPieceVocabulary vocabulary, BertTokenizerOptions? options = null)
    {
        Options = options ?? new BertTokenizerOptions();
        if (Options.MaxLength is < 3)
        {
            throw new TokenizationException($"The maximum length must leave room for [CLS] and two [SEP] tokens (at least 3); got {Options.MaxLength}.");
        }

        if (Options.MaxInputCharsPerWord < 1)
        {
            throw new TokenizationException($"The longest word must be at least 1 character; got {Options.MaxInputCharsPerWord}.");
        }

        Vocabulary = vocabulary;
        _unknownId = vocabulary.GetRequiredId(Unknown);
        ClassifierId = vocabulary.GetRequiredId(Classifier);
        SeparatorId = vocabulary.GetRequiredId(Separator);
        PaddingId = vocabulary.GetRequiredId(Padding);
        _normalizer = new BertNormalizer(Options.Lowercase, Options.StripAccents);

        // Hugging Face registers these as added tokens when the vocabulary has them, so "[SEP]" typed in
        // the text stays one token. Longest first, so overlapping names match the way Hugging Face matches them.
        _specialTokens = [.. new[] { Unknown, Separator, Classifier, Padding, Mask }.Where(vocabulary.Contains).OrderByDescending(t => t.Length)];

        using var vocabularyStream = vocabulary.ToStream();
        _wordPiece = WordPieceTokenizer.Create(vocabularyStream, new WordPieceOptions
        {
            UnknownToken = Unknown,
            ContinuingSubwordPrefix = "##",
            // The limit is checked here in characters (Unicode scalars, as Hugging Face counts);
            // the library counts UTF-16 units, so give it room for surrogate pairs.
            MaxInputCharsPerWord = Options.MaxInputCharsPerWord * 2,
        });
    }

    public WordPieceVocabulary Vocabulary { get; }

    public BertTokenizerOptions Options { get; }

    public int ClassifierId { get; }

    public int SeparatorId { get; }

    public int PaddingId { get; }

    /// <summary>Encodes one sentence, or a pair when <paramref name="second"/> is given, with the options' truncation.</summary>
    public EncodedPair Encode(string first, string? second = null)
    {
        var firstIds = new List<int>(first.Length / 3 + 4);
        AppendWordPieces(first, firstIds);
        List<int>? secondIds = null;
        if (second is not null)
        {
            secondIds = new List<int>(second.Length / 3 + 4);
            AppendWordPieces(second, secondIds);
        }

        int specials = secondIds is null ? 2 : 3;
        bool truncated = Options.MaxLength is int maxLength
            && PairTruncation.Apply(firstIds, secondIds, maxLength - specials, Options.Truncation);

        int length = firstIds.Count + (secondIds?.Count ?? 0) + specials;
        var inputIds = new int[length];
        var typeIds = new int[length];
        int at = 0;
        inputIds[at++] = ClassifierId;
        firstIds.CopyTo(inputIds, at);
        at += firstIds.Count;
        inputIds[at++] = SeparatorId;
        if (secondIds is not null)
        {
            int secondStart = at;
            secondIds.CopyTo(inputIds, at);
            at += secondIds.Count;
            inputIds[at++] = SeparatorId;
            typeIds.AsSpan(secondStart).Fill(1);
        }

        return new EncodedPair(inputIds, typeIds, truncated);
    }

    /// <summary>The WordPiece tokens of <paramref name="text"/>, without special tokens or truncation.</summary>
    public IReadOnlyList<string> Tokenize(string text)
    {
        var ids = new List<int>();
        AppendWordPieces(text, ids);
        return [.. ids.Select(Vocabulary.GetToken)];
    }

    private void AppendWordPieces(string text, List<int> ids)
    {
        var remaining = text.AsSpan();
        while (!remaining.IsEmpty)
        {
            int found = FindSpecialToken(remaining, out int specialIndex);
            var plain = found < 0 ? remaining : remaining[..found];
            AppendPlainText(plain, ids);
            if (found < 0)
            {
                return;
            }

            string special = _specialTokens[specialIndex];
            ids.Add(Vocabulary.GetRequiredId(special));
            remaining = remaining[(found + special.Length)..];
        }
    }

    /// <summary>Leftmost occurrence of a special token, longest one on ties; -1 when there is none.</summary>
    private int FindSpecialToken(ReadOnlySpan<char> text, out int specialIndex)
    {
        specialIndex = -1;
        int from = 0;
        while (_specialTokens.Length > 0 && from < text.Length)
        {
            int bracket = text[from..].IndexOf('[');
            if (bracket < 0)
            {
                return -1;
            }

            int position = from + bracket;
            for (int i = 0; i < _specialTokens.Length; i++)
            {
                if (text[position..].StartsWith(_specialTokens[i], StringComparison.Ordinal))
                {
                    specialIndex = i;
                    return position;
                }
            }

            from = position + 1;
        }

        return -1;
    }

    private void AppendPlainText(ReadOnlySpan<char> text, List<int> ids)
    {
        if (text.IsEmpty)
        {
            return;
        }

        string normalized = _normalizer.Normalize(text);
        var words = new List<(int Offset, int Length)>(normalized.Length / 4 + 1);
        BertPreTokenizer.Split(normalized, words);
        foreach (var (offset, length) in words)
        {
            var word = normalized.AsSpan(offset, length);
            if (length > Options.MaxInputCharsPerWord && CountScalars(word) > Options.MaxInputCharsPerWord)
            {
                ids.Add(_unknownId);
                continue;
            }

            ids.AddRange(_wordPiece.EncodeToIds(word, considerPreTokenization: false, considerNormalization: false));
        }
    }

    private static int CountScalars(ReadOnlySpan<char> word)
    {
        int count = 0;
        foreach (var _ in word.EnumerateRunes())
        {
            count++;
        }

        return count;
    }
}
