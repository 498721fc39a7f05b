using System.Globalization;
using System.Text.RegularExpressions;

namespace Herald.Fhir.Model;

/// <summary>
/// FHIR date and dateTime values read as calendar dates. A dateTime keeps the date as written (its own
/// time zone), because the native input has no times. A partial date (year, or year and month) reads as
/// the first day of its period.
/// </summary>
internal static partial class FhirDate
{
    // FHIR R4's date/dateTime grammar (datatypes.html#dateTime) in ASCII digits only (.NET's \d also matches other
    // scripts' digits, such as full-width ２０２０), a time of day in range and a zone offset of at most 14:00. Two
    // tolerances: the seconds and the time zone may be left out (Herald keeps the calendar date as written).
    [GeneratedRegex(@"^(?<y>[0-9]{4})(-(?<m>[0-9]{2})(-(?<d>[0-9]{2})(T([01][0-9]|2[0-3]):[0-5][0-9](:([0-5][0-9]|60)(\.[0-9]+)?)?(Z|[+-]((0[0-9]|1[0-3]):[0-5][0-9]|14:00))?)?)?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    public static bool TryParse(string? text, out DateOnly date)
    {
        date = default;
        if (text is null)
        {
            return false;
        }

        // IsMatch allocates nothing (Match and its groups did, on every date of every resource); once the text is known
        // to follow the grammar, year, month and day stand at fixed places: yyyy, yyyy-mm, yyyy-mm-dd….
        if (!Pattern().IsMatch(text)) // no surrounding spaces: FHIR's grammar has none
        {
            return false;
        }

        var year = Digits(text.AsSpan(0, 4));
        var month = text.Length >= 7 ? Digits(text.AsSpan(5, 2)) : 1;
        var day = text.Length >= 10 ? Digits(text.AsSpan(8, 2)) : 1;
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        date = new DateOnly(year, month, day);
        return true;
    }

    private static int Digits(ReadOnlySpan<char> digits)
    {
        var value = 0;
        foreach (var digit in digits)
        {
            value = (value * 10) + (digit - '0');
        }

        return value;
    }

    /// <summary>The date, or null when absent. Values were validated when the resource was added.</summary>
    public static DateOnly? Read(string? text) => TryParse(text, out var date) ? date : null;

    public static string Format(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
