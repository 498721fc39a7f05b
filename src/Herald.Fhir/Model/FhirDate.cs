using System.Globalization;

namespace Herald.Fhir.Model;

/// <summary>
/// FHIR date and dateTime values read as calendar dates. A dateTime keeps the date as written (its own
/// time zone), because the native input has no times. A partial date (year, or year and month) reads as
/// the first day of its period.
/// </summary>
internal static class FhirDate
{
    // FHIR R4's date/dateTime grammar (datatypes.html#dateTime) in ASCII digits only (.NET's \d also matches other
    // scripts' digits, such as full-width ２０２０), a time of day in range and a zone offset of at most 14:00. Two
    // tolerances: the seconds and the time zone may be left out (Herald keeps the calendar date as written). The
    // pattern is the grammar's statement; Follows checks it by hand (the regex cost a tenth of a request's mapping),
    // and a test holds the two to each other.
    internal const string Grammar =
        @"^(?<y>[0-9]{4})(-(?<m>[0-9]{2})(-(?<d>[0-9]{2})(T([01][0-9]|2[0-3]):[0-5][0-9](:([0-5][0-9]|60)(\.[0-9]+)?)?(Z|[+-]((0[0-9]|1[0-3]):[0-5][0-9]|14:00))?)?)?)?$";

    /// <summary>Whether the text follows <see cref="Grammar"/> (whose '$' also allows one final line feed).</summary>
    internal static bool Follows(string text)
    {
        var s = text.AsSpan();
        if (s.Length > 0 && s[^1] == '\n')
        {
            s = s[..^1];
        }

        if (s.Length < 4 || !Digits(s, 0, 4))
        {
            return false;
        }

        if (s.Length == 4)
        {
            return true;
        }

        if (s.Length < 7 || s[4] != '-' || !Digits(s, 5, 2))
        {
            return false;
        }

        if (s.Length == 7)
        {
            return true;
        }

        if (s.Length < 10 || s[7] != '-' || !Digits(s, 8, 2))
        {
            return false;
        }

        if (s.Length == 10)
        {
            return true;
        }

        // T hh:mm, hour 00-23, minute 00-59
        if (s.Length < 16 || s[10] != 'T' || !Digits(s, 11, 2) || s[13] != ':' || !Digits(s, 14, 2)
            || s[11] > '2' || (s[11] == '2' && s[12] > '3') || s[14] > '5')
        {
            return false;
        }

        var at = 16;
        if (at < s.Length && s[at] == ':')
        {
            // :ss, 00-59 or 60, then an optional fraction
            if (at + 3 > s.Length || !Digits(s, at + 1, 2) || !(s[at + 1] <= '5' || (s[at + 1] == '6' && s[at + 2] == '0')))
            {
                return false;
            }

            at += 3;
            if (at < s.Length && s[at] == '.')
            {
                var digits = ++at;
                while (at < s.Length && char.IsAsciiDigit(s[at]))
                {
                    at++;
                }

                if (at == digits)
                {
                    return false;
                }
            }
        }

        if (at == s.Length)
        {
            return true;
        }

        if (s[at] == 'Z')
        {
            return at + 1 == s.Length;
        }

        // +hh:mm or -hh:mm, 00:00-13:59 or 14:00
        if ((s[at] != '+' && s[at] != '-') || at + 6 != s.Length || !Digits(s, at + 1, 2) || s[at + 3] != ':' || !Digits(s, at + 4, 2))
        {
            return false;
        }

        var hours = s.Slice(at + 1, 2);
        return hours is "14" ? s.Slice(at + 4, 2) is "00" : hours[0] <= '1' && (hours[0] == '0' || hours[1] <= '3') && s[at + 4] <= '5';
    }

    private static bool Digits(ReadOnlySpan<char> s, int start, int count)
    {
        foreach (var c in s.Slice(start, count))
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    public static bool TryParse(string? text, out DateOnly date)
    {
        date = default;
        if (text is null)
        {
            return false;
        }

        // Once the text is known to follow the grammar, year, month and day stand at fixed places: yyyy, yyyy-mm, yyyy-mm-dd….
        if (!Follows(text)) // no surrounding spaces: FHIR's grammar has none
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
