"""Rules for photos and media: what a photo or media file holds, and whether links and files match.

R007–R009 look at one photo file under records/<unit>/photos/ (its facts come from
`photos.inspection.inspect`; the engine runs them as record rules of the pseudo-kind "photo", and
caches them by file content like any record); R015–R017 do the same for one audio or video file
under records/<unit>/media/ (`photos.media.inspect`, pseudo-kind "media"). R010, R011 and R018
compare the files with the links in the records (`photo`, `photos`, `attachments`). The codes are
in the R group because they are about the files under records/, like R001–R006.
"""

from __future__ import annotations

from collections.abc import Iterator

from aixin.core.findings import FieldPath, Problem, Severity
from aixin.domain.records import Record, RecordIndex
from aixin.photos.inspection import MAX_PHOTO_BYTES, MAX_PHOTO_SIDE
from aixin.photos.media import ACCEPTS, FORMAT_WORDS
from aixin.photos.media import KIND_WORDS as MEDIA_WORDS

from .registry import Context, cross_rule, record_rule

PHOTO = "photo"  # the pseudo-kind of a file in a unit's photos/ folder
LINK_FIELDS: dict[str, tuple[str, ...]] = {"girl": ("photo",), "mother": ("photo",), "log": ("photos", "attachments")}
READD = "请用 aixin photo add 重新添加这张照片，再删除这个文件"


@record_rule("R007", Severity.ERROR, PHOTO)
def photo_metadata(photo: Record, ctx: Context) -> Iterator[Problem]:
    """照片带有位置、拍摄信息或注释

    手机和相机拍的照片里常有 EXIF 信息：GPS 位置（能指出女童的家）、拍摄时间、手机型号；还可能有 XMP、IPTC、
    注释、PNG 文字块，或图片结束后附加的数据。records/ 中的照片只能有画面本身（以及 JFIF、ICC 色彩配置这样的显示信息）。
    用 aixin photo add 添加的照片都符合要求。

    通过：用 aixin photo add 添加的照片 photos/chuanshan-g-3m8x4p-1.jpg
    不通过：手机拍摄后直接上传、带 GPS 位置的原图 photos/IMG_0001.jpg
    """
    metadata = photo.data["metadata"]
    if metadata:
        yield Problem(
            f"照片带有：{'、'.join(metadata)}",
            READD + "：它只保留画面，会去掉位置信息和其他附加信息。",
        )


@record_rule("R008", Severity.ERROR, PHOTO)
def photo_too_large(photo: Record, ctx: Context) -> Iterator[Problem]:
    """照片文件太大

    records/ 中的照片最大 2 MB、长边最多 4000 像素。用 aixin photo add 添加的照片长边不超过 1600 像素，
    通常只有几百 KB；超过上限的多半是没有处理过的原图。

    通过：1600×1200 像素、300 KB 的照片
    不通过：4032×3024 像素、3.5 MB 的手机原图
    """
    size, width, height = photo.data["size"], photo.data["width"], photo.data["height"]
    if size > MAX_PHOTO_BYTES:
        yield Problem(
            f"照片文件有 {size / 1024 / 1024:.1f} MB，超过上限 {MAX_PHOTO_BYTES // 1024 // 1024} MB",
            READD + "：它会把照片缩小到长边 1600 像素以内。",
        )
    elif width and height and max(width, height) > MAX_PHOTO_SIDE:
        yield Problem(
            f"照片有 {width}×{height} 像素，长边超过上限 {MAX_PHOTO_SIDE} 像素",
            READD + "：它会把照片缩小到长边 1600 像素以内。",
        )


@record_rule("R009", Severity.ERROR, PHOTO)
def photo_unreadable(photo: Record, ctx: Context) -> Iterator[Problem]:
    """照片不是可以读取的 JPEG 或 PNG 图片

    photos/ 文件夹中只放 JPEG（.jpg）或 PNG（.png）照片，而且要完整：上传中断的文件、改了扩展名的其他文件
    （如苹果手机的 HEIC 照片、文档）都不能显示。

    通过：完整的 JPEG 照片
    不通过：只上传了一半的 JPEG 文件；把 HEIC 照片改名为 .jpg
    """
    problem = photo.data["unreadable"]
    if problem:
        yield Problem(
            f"照片无法读取：{problem}",
            "请找到原来的照片（JPEG 或 PNG；苹果手机的 HEIC 照片请先导出为 JPEG），"
            "用 aixin photo add 重新添加，再删除这个文件。",
        )


def links(record: Record) -> Iterator[tuple[FieldPath, str]]:
    """(field path, link) for each photo or media link of a schema-valid record."""
    for key in LINK_FIELDS.get(record.kind, ()):
        value = record.data.get(key)
        if isinstance(value, str):
            yield (key,), value
        elif isinstance(value, list):
            for position, item in enumerate(value):
                if isinstance(item, str):
                    yield (key, position), item


def _unlinked(
    index: RecordIndex, folder: str, kinds: tuple[str, ...], pseudo: str
) -> Iterator[tuple[Record, str, list[str]]]:
    """The files in a unit's `folder` (photos, media) that no record of `kinds` links, as a
    pseudo-record to report on, with the unit and the path below the folder. A unit with a record
    that cannot be read is skipped: its links are unknown, so no file is certainly unlinked."""
    linked: set[str] = set()
    unsure_units: set[str] = set()
    for kind in kinds:
        for record in index.by_kind[kind]:
            if not record.valid:
                unsure_units.add(record.unit)
                continue
            linked.update(f"records/{record.unit}/{link}" for _, link in links(record))
    for file in sorted(index.assets):
        _, unit, in_folder, *rest = file.split("/")
        if in_folder == folder and file not in linked and unit not in unsure_units:
            yield Record(pseudo, unit, "", file, {}), unit, rest


@cross_rule("R010", Severity.ERROR)
def photo_not_linked(index: RecordIndex, ctx: Context) -> Iterator[Problem]:
    """照片没有被任何记录引用

    photos/ 中的每张照片都要由本单位的某条记录引用（女童、爱心妈妈的 photo，联系记录的 photos），
    照片文件直接放在 photos/ 中，不建子文件夹。不再使用的照片请删除，不要留在仓库里。
    本单位有记录无法读取（有 Y、S 类错误）时，先不检查这一条。

    通过：photos/chuanshan-g-3m8x4p-1.jpg，女童记录中有 photo: photos/chuanshan-g-3m8x4p-1.jpg
    不通过：photos/chuanshan-g-3m8x4p-1.jpg，没有任何记录写它（例如换照片后留下的旧照片）
    """
    for photo, unit, rest in _unlinked(index, "photos", tuple(LINK_FIELDS), PHOTO):
        if len(rest) > 1:
            yield Problem(
                "照片放在了 photos/ 的子文件夹中，记录无法引用它",
                f"请把照片直接放在 records/{unit}/photos/ 中，并在记录中写上它；不需要的照片请删除。",
                record=photo,
            )
        else:
            yield Problem(
                f"没有任何记录引用这张照片（photos/{rest[0]}）",
                "请在对应的记录中写上它（或用 aixin photo add 添加照片，它会自动写上）；不再使用的照片请删除。",
                record=photo,
            )


@cross_rule("R011", Severity.ERROR)
def link_target_missing(index: RecordIndex, ctx: Context) -> Iterator[Problem]:
    """记录引用的照片或音视频文件不存在

    记录中的 photo、photos、attachments 写的是本单位文件夹中的文件（photos/…、media/…），
    这个文件必须存在，文件名（包括大小写）要完全一致；其他单位的文件和上级文件夹（../）都不能引用。

    通过：photo: photos/chuanshan-g-3m8x4p-1.jpg，文件 records/chuanshan/photos/chuanshan-g-3m8x4p-1.jpg 存在
    不通过：photo: photos/chuanshan-g-3m8x4p-1.jpg，但照片没有提交，或文件名是 Chuanshan-G-3m8x4p-1.JPG
    """
    by_lower: dict[str, str] = {}
    for file in index.assets:
        by_lower.setdefault(file.lower(), file)
    for kind in LINK_FIELDS:
        for record in index.valid(kind):
            for path, link in links(record):
                target = f"records/{record.unit}/{link}"
                if target in index.assets:
                    continue
                what = "照片" if link.startswith("photos/") else "音视频文件"
                near = by_lower.get(target.lower())
                if near:
                    hint = f"实际的文件名是“{near.rsplit('/', 1)[1]}”：请把记录中的写法改成与文件名完全一致（包括大小写）。"
                else:
                    hint = f"请把{what}放进 records/{record.unit}/{link.split('/', 1)[0]}/，或改正文件名；照片可以用 aixin photo add 添加；如果已不需要，请删去这一项。"
                yield Problem(f"找不到{what}“{link}”：records/{record.unit}/ 中没有这个文件", hint, path, record=record)


# --- audio and video (media/) -------------------------------------------------------------------

MEDIA = "media"  # the pseudo-kind of an audio or video file in a unit's media/ folder
KEEP_ELSEWHERE = "更大的录音、视频请存到市妇联的共享网盘，在联系记录的内容摘要中写明存放位置，不要放进 records/。"


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


@record_rule("R015", Severity.ERROR, MEDIA)
def media_too_large(media: Record, ctx: Context) -> Iterator[Problem]:
    """录音或视频文件太大

    records/ 中的录音（.mp3、.m4a、.wav）最大 10 MB，视频（.mp4、.mov）最大 25 MB：仓库里的每个文件，
    每位联络员下载、每次检查都要读取一遍。手机录音约每分钟 1 MB，10 MB 足够一次长谈；
    25 MB 是 GitHub 网页上传的上限，够放一段短视频（通过工作群发送的视频每分钟只有几 MB）。

    通过：一段 3 MB 的 .m4a 录音；一段 12 MB 的 .mp4 视频
    不通过：一段 80 MB 的手机原始视频 .mov；一段 30 MB 的 .wav 录音
    """
    size, cap, kind = media.data["size"], media.data["cap"], media.data["kind"]
    if cap and size > cap:
        word = MEDIA_WORDS.get(kind, "文件")
        if kind == "video":
            shrink = "可以先通过微信或工作群发送一次再保存（会压缩），或只截取需要的一段；"
        elif media.data["extension"] == "wav":
            shrink = "可以另存为 .m4a 或 .mp3（比 .wav 小得多）；"
        else:
            shrink = "可以只截取需要的一段；"
        yield Problem(
            f"{word}文件有 {_megabytes(size)}，超过上限 {cap // 1024 // 1024} MB",
            shrink + KEEP_ELSEWHERE,
        )


@record_rule("R016", Severity.ERROR, MEDIA)
def media_not_what_it_says(media: Record, ctx: Context) -> Iterator[Problem]:
    """录音或视频不是文件名所写的格式，或无法读取

    media/ 中的文件按内容检查，不只看扩展名：.mp3 必须是 MP3 录音，.wav 是 WAV 录音，.m4a 是只有声音的 M4A，
    .mp4、.mov 是 MP4 或 MOV 视频（两者是同一类文件，可以互换扩展名）。改了扩展名的其他文件（如微信语音、文档）、
    上传中断的文件都不能播放。

    通过：手机录的 .m4a 录音；苹果手机拍的 .mov 视频
    不通过：一段随机数据改名为 .mp4；一段 MP4 视频改名为 .mp3
    """
    unreadable, real, extension = media.data["unreadable"], media.data["format"], media.data["extension"]
    if unreadable:
        yield Problem(
            f"{media.data['name']} 无法作为录音或视频播放：{unreadable}",
            "请找到原来的文件，确认它能在手机或电脑上播放，再重新放进 media/；"
            "微信语音请先在手机上转存为录音文件（.m4a 或 .mp3）。",
        )
    elif real is not None and real not in ACCEPTS.get(extension, set()):
        yield Problem(
            f"{media.data['name']} 的扩展名是 .{extension}，但文件实际是{FORMAT_WORDS.get(real, real)}",
            "请把文件改成与内容一致的扩展名（"
            + "、".join(sorted(f".{e}" for e, formats in ACCEPTS.items() if real in formats))
            + "），并改正联系记录 attachments 中的写法。",
        )


@record_rule("R017", Severity.ERROR, MEDIA)
def media_location(media: Record, ctx: Context) -> Iterator[Problem]:
    """录音或视频带有位置信息

    手机拍的视频常在文件里写上拍摄地点（GPS 经纬度）：MP4、MOV 的 ©xyz、loci 标签，苹果手机的
    com.apple.quicktime.location.ISO6709；录音的 ID3 标签里也可能有位置。这能指出女童的家，records/ 中的
    录音和视频都不能带位置信息。

    通过：关闭位置后导出的视频；通过工作群发送后保存的视频
    不通过：苹果手机相册里直接导出、带拍摄地点的 .mov 视频
    """
    location = media.data["location"]
    if location:
        yield Problem(
            f"{MEDIA_WORDS.get(media.data['kind'], '文件')}带有位置信息：{'、'.join(location)}",
            "请换成不带位置的版本再放进 media/：苹果手机在相册中点“分享”→“选项”关闭“位置”后存储到“文件”；"
            "安卓手机先在相机设置中关闭“位置标签”；通过微信或工作群发送后保存的视频不带位置。然后删除这个文件。",
        )


@cross_rule("R018", Severity.ERROR)
def media_not_linked(index: RecordIndex, ctx: Context) -> Iterator[Problem]:
    """录音或视频没有被任何联系记录引用

    media/ 中的每个录音、视频都要由本单位的某条联系记录在 attachments 中写上，文件直接放在 media/ 中，
    不建子文件夹。不再使用的文件请删除。本单位有记录无法读取（有 Y、S 类错误）时，先不检查这一条。

    通过：media/chuanshan-l-5hqwhz-1.m4a，联系记录中有 attachments: [media/chuanshan-l-5hqwhz-1.m4a]
    不通过：media/chuanshan-l-5hqwhz-1.m4a，没有任何联系记录写它
    """
    for media, unit, rest in _unlinked(index, "media", ("log",), MEDIA):
        if len(rest) > 1:
            yield Problem(
                "录音或视频放在了 media/ 的子文件夹中，记录无法引用它",
                f"请把文件直接放在 records/{unit}/media/ 中，并在联系记录的 attachments 中写上它；不需要的文件请删除。",
                record=media,
            )
        else:
            yield Problem(
                f"没有任何联系记录引用这个文件（media/{rest[0]}）",
                "请在对应联系记录的 attachments 中写上它（如 attachments: [media/文件名.m4a]）；不再使用的文件请删除。",
                record=media,
            )
