using System.Text;

namespace Paraphrase.Core.Datasets;

/// <summary>
/// Reads a stream line by line as strict UTF-8 (a leading BOM is skipped; LF or CRLF), with a
/// byte limit per line, so bad bytes and runaway lines are reported with their line number.
/// </summary>
internal sealed class Utf8LineReader : IDisposable
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly Stream _stream;
    private readonly string _file;
    private readonly int _maxLineBytes;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private readonly MemoryStream _line = new();
    private int _start;
    private int _end;
    private bool _endOfStream;

    public Utf8LineReader(Stream stream, string file, int maxLineBytes)
    {
        _stream = stream;
        _file = file;
        _maxLineBytes = maxLineBytes;
    }

    /// <summary>The 1-based number of the line last returned.</summary>
    public int LineNumber { get; private set; }

    /// <summary>The next line without its terminator, or null at the end of the stream.</summary>
    public string? ReadLine()
    {
        _line.SetLength(0);
        bool sawAnything = false;
        while (true)
        {
            if (_start == _end && !Fill())
            {
                if (!sawAnything)
                {
                    return null;
                }

                break;
            }

            sawAnything = true;
            var available = _buffer.AsSpan(_start, _end - _start);
            int newline = available.IndexOf((byte)'\n');
            var chunk = newline < 0 ? available : available[..newline];
            if (_line.Length + chunk.Length > _maxLineBytes)
            {
                throw new DatasetException(new DatasetIssue(_file, LineNumber + 1, null,
                    $"the line is longer than {_maxLineBytes:N0} bytes; is this a text dataset? (raise the limit with --max-line-bytes)"));
            }

            _line.Write(chunk);
            _start += newline < 0 ? chunk.Length : chunk.Length + 1;
            if (newline >= 0)
            {
                break;
            }
        }

        LineNumber++;
        var bytes = _line.GetBuffer().AsSpan(0, (int)_line.Length);
        if (LineNumber == 1 && bytes.StartsWith("\uFEFF"u8))
        {
            bytes = bytes[3..];
        }

        if (bytes.EndsWith("\r"u8))
        {
            bytes = bytes[..^1];
        }

        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            int offset = e.Index >= 0 ? e.Index : 0;
            throw new DatasetException(new DatasetIssue(_file, LineNumber, null,
                $"invalid UTF-8 at byte {offset + 1} of the line; save the file as UTF-8"));
        }
    }

    private bool Fill()
    {
        if (_endOfStream)
        {
            return false;
        }

        _start = 0;
        _end = _stream.Read(_buffer, 0, _buffer.Length);
        _endOfStream = _end == 0;
        return !_endOfStream;
    }

    public void Dispose()
    {
        _line.Dispose();
        _stream.Dispose();
    }
}
