using System.Security.Cryptography;
using System.Text;

namespace Paraphrase.Pipeline.Jobs;

/// <summary>Where a base model is staged in the artifact store: <c>models/base/&lt;key&gt;/</c>, the key derived from its source.</summary>
public static class BaseModelKeys
{
    public static string For(string source) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(source.Trim())))[..16];
}
