// Passwords of 10 characters or more that guessers try first: the top of the published
// breach lists (as collected by SecLists and NCSC's "100k most common"), keyboard walks,
// and the Vietnamese ones people reach for (mật khẩu, anh yêu em, place names, the
// ward's roles). Shorter ones are refused by length already. Compared lowercased,
// without spaces. A list to extend, not to rely on alone: the length does most of the work.
const LIST = `
1234567890 0123456789 12345678910 1234567891 123456789a 123456789q 1234567890a 1234567890q
a123456789 q123456789 qwertyuiop qwertyuiop1 qwertyuiop123 asdfghjkl1 asdfghjkl123 zxcvbnm123
1q2w3e4r5t 1q2w3e4r5t6y 1qaz2wsx3edc 1qazxsw23edc qazwsxedc123 qazwsxedcrfv 123qweasd 123qweasdzxc
qwe1234567 qwer123456 qwerty1234 qwerty12345 qwerty123456 abc1234567 abcd123456 abcd1234567
abc123456789 asd1234567 zaq12wsx34 1111111111 0000000000 9876543210 0987654321 987654321a
password123 password1234 password12345 passw0rd123 p@ssw0rd123 p@ssword123 password@123 password!123
password2024 password2025 password2026 mypassword1 mypassword123 secret12345 changeme123 changeme1234
iloveyou123 iloveyou1234 iloveyou12 princess123 football123 baseball123 sunshine123 superman123
welcome123 welcome1234 welcome@123 letmein123 letmein1234 trustno1234 monkey12345 dragon12345
starwars123 whatever123 computer123 internet123 samsung123 iphone12345 facebook123 google12345
administrator administrator1 administrator123 admin12345 admin123456 admin@12345 admin@123456 adminadmin
rootroot123 root123456 test123456 testtest123 guest12345 user123456 useruser123 default123
matkhau123 matkhau1234 matkhau12345 matkhau@123 matkhaumoi matkhaumoi123 matkhaucuatoi matkhaucuaban
anhyeuem123 anhyeuem1234 anhyeuem12345 emyeuanh123 emyeuanh1234 yeuemnhieu anhyeuemnhieu toiyeuem123
vietnam123 vietnam1234 vietnam12345 vietnamvodich hanoi12345 hanoi123456 saigon1234 saigon12345
hochiminh123 danang12345 123456789vn khongbiet123 khongcomatkhau 12345678@ abc@123456 abc@1234567
ubnd123456 ubnd@123456 ubndphuong ubndphuong123 ubndxa123456 tramyte123 tramyte1234 congan123456
congan@123 quantri123 quantri1234 quantri@123 quantrivien quantrihethong lanhdao123 lanhdao1234
khoi123456 vanhoa123456 taichinh123 ketoan123456 sskdt123456 sskdt@123456 sosuckhoe vneid123456
`;

export const COMMON_PASSWORDS: ReadonlySet<string> = new Set(LIST.split(/\s+/).filter(Boolean));
