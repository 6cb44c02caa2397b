namespace Paraphrase.Core.Datasets;

public enum DatasetFormat
{
    /// <summary>From the file extension: .tsv, .csv, .jsonl (or .json lines).</summary>
    Auto,

    /// <summary>Tab-separated with a header row; quotes are literal text (GLUE's convention).</summary>
    Tsv,

    /// <summary>RFC 4180 comma-separated with a header row.</summary>
    Csv,

    /// <summary>One JSON object a line.</summary>
    Jsonl,
}

/// <summary>What to do with a row that fails validation.</summary>
public enum BadRowPolicy
{
    /// <summary>Stop at the first bad row with an error that names it (the default).</summary>
    Fail,

    /// <summary>Leave bad rows out, count them and keep their reasons.</summary>
    Skip,
}
