const DIGITS = "零壹贰叁肆伍陆柒捌玖";
const UNITS = ["", "拾", "佰", "仟"];
const SECTIONS = ["", "万", "亿", "万亿"];

function sectionToCapitals(section) {
    let text = "";
    let zero = false;
    for (let position = 3; position >= 0; position--) {
        const digit = Math.floor(section / 10 ** position) % 10;
        if (digit === 0) {
            zero = text !== "";
        } else {
            if (zero) {
                text += DIGITS[0];
                zero = false;
            }
            text += DIGITS[digit] + UNITS[position];
        }
    }
    return text;
}

/** 123.45 -> "壹佰贰拾叁元肆角伍分"; same wording as cn2an's RMB mode on the server. */
export function retailAmountInCapitals(amount) {
    const negative = amount < 0;
    const cents = Math.round(Math.abs(amount) * 100);
    let integer = Math.floor(cents / 100);
    const jiao = Math.floor(cents / 10) % 10;
    const fen = cents % 10;
    let text = "";
    if (integer === 0) {
        text = "";
    } else {
        const sections = [];
        while (integer > 0) {
            sections.push(integer % 10000);
            integer = Math.floor(integer / 10000);
        }
        let needZero = false;
        for (let index = sections.length - 1; index >= 0; index--) {
            const section = sections[index];
            if (section === 0) {
                needZero = text !== "";
                continue;
            }
            if (needZero || (text !== "" && section < 1000)) {
                text += DIGITS[0];
            }
            needZero = false;
            text += sectionToCapitals(section) + SECTIONS[index];
        }
        text += "元";
    }
    if (jiao === 0 && fen === 0) {
        text = (text || "零元") + "整";
    } else {
        if (jiao) {
            text += DIGITS[jiao] + "角";
        } else if (text) {
            text += DIGITS[0];
        }
        if (fen) {
            text += DIGITS[fen] + "分";
        }
    }
    return (negative ? "负" : "") + text;
}
