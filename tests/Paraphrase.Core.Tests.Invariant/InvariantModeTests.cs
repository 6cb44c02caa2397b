using System.Text;

namespace Paraphrase.Core.Tests;

public sealed class InvariantModeTests
{
    [Fact]
    public void ThisProcessReallyHasNoIcu()
    {
        // Under invariant globalization .NET leaves the string as it is instead of decomposing it.
        Assert.Equal("é", "é".Normalize(NormalizationForm.FormD));
        Assert.True(AppContext.TryGetSwitch("System.Globalization.Invariant", out bool invariant) && invariant);
    }
}
