using System.ComponentModel;
using Paraphrase.Core.Tokenization;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Paraphrase.Cli.Settings;

/// <summary>One input file plus how its sentences become BERT tokens.</summary>
public class TokenizerSettings : DatasetSettings
{
    [CommandOption("-i|--input <FILE>")]
    [Description("Sentence-pair file: .tsv (GLUE MRPC layout or named columns), .csv or .jsonl.")]
    public string? Input { get; init; }

    [CommandOption("--vocab <FILE>")]
    [Description("WordPiece vocabulary (vocab.txt, LF or CRLF). Default: bert-base-uncased, built in.")]
    public string? Vocab { get; init; }

    [CommandOption("--max-length <N>")]
    [Description("Truncate each encoding to N tokens, [[CLS]]/[[SEP]] included. Default: no truncation.")]
    public int? MaxLength { get; init; }

    [CommandOption("--truncation <STRATEGY>")]
    [Description("longest_first (default) or only_second.")]
    [DefaultValue("longest_first")]
    public string Truncation { get; init; } = "longest_first";

    [CommandOption("--cased")]
    [Description("Keep case and accents (for cased models such as bert-base-cased).")]
    public bool Cased { get; init; }

    public override ValidationResult Validate()
    {
        if (string.IsNullOrWhiteSpace(Input))
        {
            return ValidationResult.Error("--input is required: the sentence-pair file to read.");
        }

        if (MaxLength is < 3)
        {
            return ValidationResult.Error($"--max-length must be at least 3 (room for the three special tokens); got {MaxLength}.");
        }

        if (ParseTruncation(Truncation) is null)
        {
            return ValidationResult.Error($"--truncation '{Truncation}' is not known; use longest_first or only_second.");
        }

        return base.Validate();
    }

    public BertWordPieceTokenizer CreateTokenizer()
    {
        var vocabulary = Vocab is null ? WordPieceVocabulary.BertBaseUncased : WordPieceVocabulary.Load(Vocab);
        return new BertWordPieceTokenizer(vocabulary, new BertTokenizerOptions
        {
            Lowercase = !Cased,
            MaxLength = MaxLength,
            Truncation = ParseTruncation(Truncation)!.Value,
        });
    }

    private static TruncationStrategy? ParseTruncation(string text) => text.Replace("-", "_", StringComparison.Ordinal).ToLowerInvariant() switch
    {
        "longest_first" => TruncationStrategy.LongestFirst,
        "only_second" => TruncationStrategy.OnlySecond,
        _ => null,
    };
}
