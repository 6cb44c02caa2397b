namespace Paraphrase.Core.Datasets;

/// <summary>How a sentence-pair file is read and validated.</summary>
public sealed record DatasetOptions
{
    /// <summary>File format; Auto decides from the extension.</summary>
    public DatasetFormat Format { get; init; } = DatasetFormat.Auto;

    /// <summary>Column (or JSON field) holding the first sentence. GLUE MRPC's "#1 String" is recognised by itself.</summary>
    public string Sentence1Column { get; init; } = "sentence1";

    /// <summary>Column holding the second sentence. GLUE MRPC's "#2 String" is recognised by itself.</summary>
    public string Sentence2Column { get; init; } = "sentence2";

    /// <summary>Column holding the label. GLUE MRPC's "Quality" is recognised by itself.</summary>
    public string LabelColumn { get; init; } = "label";

    /// <summary>Label spellings other than 0 and 1, e.g. {"paraphrase": 1, "different": 0}.</summary>
    public IReadOnlyDictionary<string, int>? LabelMap { get; init; }

    /// <summary>When false, a file without a label column is accepted and pairs carry no label.</summary>
    public bool RequireLabels { get; init; } = true;

    public BadRowPolicy OnBadRow { get; init; } = BadRowPolicy.Fail;

    /// <summary>Longest accepted line, in bytes; longer lines are an error (a guard against binary or runaway files).</summary>
    public int MaxLineBytes { get; init; } = 1 << 20;

    /// <summary>Most rows accepted from one file.</summary>
    public int MaxRows { get; init; } = 5_000_000;

    /// <summary>When set, reading stops after this many valid pairs: the rest of the file is neither read nor checked.</summary>
    public int? FirstPairsOnly { get; init; }
}
