using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;

namespace Paraphrase.Core.Tokenization;

/// <summary>
/// A WordPiece vocabulary (<c>vocab.txt</c>: one token a line, the line number is the id), read as
/// Hugging Face reads it: LF or CRLF endings, trailing whitespace trimmed.
/// </summary>
public sealed class WordPieceVocabulary
{
    private const string DefaultResourceName = "Paraphrase.Core.bert-base-uncased-vocab.txt";

    private readonly string[] _tokens;
    private readonly FrozenDictionary<string, int> _ids;

    private WordPieceVocabulary(string[] tokens, string source)
    {
        _tokens = tokens;
        Source = source;
        var ids = new Dictionary<string, int>(tokens.Length, StringComparer.Ordinal);
        for (int id = 0; id < tokens.Length; id++)
        {
            if (!ids.TryAdd(tokens[id], id))
            {
                throw new TokenizationException(
                    $"{source}: line {id + 1} repeats the token '{tokens[id]}' of line {ids[tokens[id]] + 1}; every token must appear once.");
            }
        }

        _ids = ids.ToFrozenDictionary(StringComparer.Ordinal);
        Sha256 = ComputeHash(tokens);
    }

    /// <summary>Where the vocabulary came from (a path, or the embedded default's name), for messages.</summary>
    public string Source { get; }

    public int Count => _tokens.Length;

    /// <summary>sha256 of the tokens joined by LF: equal for the same vocabulary whatever its line endings.</summary>
    public string Sha256 { get; }

    public IReadOnlyList<string> Tokens => _tokens;

    /// <summary>The bert-base-uncased vocabulary (30,522 tokens) shipped inside this library.</summary>
    public static WordPieceVocabulary BertBaseUncased { get; } = LoadDefault();

    public static WordPieceVocabulary Load(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return Load(stream, path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TokenizationException($"Cannot read the vocabulary '{path}': {e.Message}");
        }
    }

    public static WordPieceVocabulary Load(Stream stream, string source)
    {
        var tokens = new List<string>();
        using var reader = new StreamReader(stream, new UTF8Encoding(false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: true);
        try
        {
            while (reader.ReadLine() is { } line)
            {
                tokens.Add(line.TrimEnd());
            }
        }
        catch (DecoderFallbackException)
        {
            throw new TokenizationException($"{source}: line {tokens.Count + 1} is not valid UTF-8; a vocabulary is UTF-8 text, one token a line.");
        }

        if (tokens.Count == 0)
        {
            throw new TokenizationException($"{source}: the vocabulary is empty; expected one WordPiece token a line (e.g. bert-base-uncased's vocab.txt).");
        }

        return new WordPieceVocabulary([.. tokens], source);
    }

    public bool TryGetId(string token, out int id) => _ids.TryGetValue(token, out id);

    public bool Contains(string token) => _ids.ContainsKey(token);

    /// <summary>The id of a token the tokenizer cannot work without, or an error that names the file.</summary>
    public int GetRequiredId(string token) =>
        _ids.TryGetValue(token, out int id)
            ? id
            : throw new TokenizationException($"{Source}: the vocabulary has no '{token}' token; a BERT vocabulary needs [UNK], [CLS], [SEP] and [PAD].");

    public string GetToken(int id) => _tokens[id];

    /// <summary>The tokens as an LF-separated stream, the form Microsoft.ML.Tokenizers reads.</summary>
    internal MemoryStream ToStream() => new(Encoding.UTF8.GetBytes(string.Join('\n', _tokens) + "\n"));

    private static string ComputeHash(string[] tokens) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', tokens) + "\n")));

    private static WordPieceVocabulary LoadDefault()
    {
        using var stream = typeof(WordPieceVocabulary).Assembly.GetManifestResourceStream(DefaultResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {DefaultResourceName} is missing from this build.");
        return Load(stream, "bert-base-uncased (built in)");
    }
}
