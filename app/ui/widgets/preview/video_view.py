"""The picture of a preview, drawn where Qt converts video on the GPU whenever it can.

``VideoSurface`` holds one of two pictures:

- ``QVideoWidget`` (the RHI path): Qt uploads the YUV planes and converts them in a shader,
  with OpenGL, Vulkan, Metal or Direct3D, or Mesa's llvmpipe without a GPU. Measured under Xvfb
  + llvmpipe (720p30, 640×360): 19–21 % of a core, against 67–77 % for converting every frame
  on the CPU. It is a native child window: nothing can be painted over it, so the pane puts its
  state, badges and meters around the picture, never on it.
- ``VideoView`` (the sink path), only where Qt has no RHI (``QT_QPA_PLATFORM=offscreen`` in the
  tests, ``minimal``): a plain widget painting the latest frame with ``QVideoFrame.toImage()``.

``CASTERDESK_VIDEO=sink`` or ``=widget`` forces one path (benchmarks compare them).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QVBoxLayout, QWidget

if TYPE_CHECKING:  # Qt Multimedia loads with the first QVideoWidget or preview, not before
    from PySide6.QtMultimedia import QVideoFrame, QVideoSink
    from PySide6.QtMultimediaWidgets import QVideoWidget

VIDEO_PATH_ENV = "CASTERDESK_VIDEO"
NO_RHI_PLATFORMS = frozenset({"offscreen", "minimal", "minimalegl", "vnc", "linuxfb"})


def uses_rhi() -> bool:
    """True when previews draw through ``QVideoWidget`` (Qt's RHI), False for the sink path."""
    forced = os.environ.get(VIDEO_PATH_ENV, "").strip().lower()
    if forced in ("sink", "widget"):
        return forced == "widget"
    return QGuiApplication.platformName() not in NO_RHI_PLATFORMS


class VideoView(QWidget):
    """Paints the latest video frame, letterboxed on black. Converts only when it paints."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._frame: QVideoFrame | None = None
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(160, 90)

    def sizeHint(self) -> QSize:
        return QSize(480, 270)

    def set_frame(self, frame: QVideoFrame | None) -> None:
        self._frame = frame
        self.update()

    def current_image(self) -> QImage | None:
        """The picture being shown (for tests and screenshots), or None."""
        if self._frame is None or not self._frame.isValid():
            return None
        return self._frame.toImage()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(0, 0, 0))
        image = self.current_image()
        if image is not None and not image.isNull():
            size = image.size().scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio)
            target = QRect(0, 0, size.width(), size.height())
            target.moveCenter(self.rect().center())
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            painter.drawImage(target, image)
        painter.end()


class VideoSurface(QWidget):
    """The picture area of a pane: a ``QVideoWidget`` where Qt has an RHI, else a ``VideoView``.

    ``video_sink()`` is the sink the player must feed (None: keep the player's own sink and
    connect its ``frame_changed`` to :meth:`set_frame`).
    """

    def __init__(self, parent: QWidget | None = None, *, rhi: bool | None = None) -> None:
        super().__init__(parent)
        self.rhi = uses_rhi() if rhi is None else rhi
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(160, 90)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.video_widget: QVideoWidget | None = None
        self.view: VideoView | None = None
        self._frame: QVideoFrame | None = None
        if self.rhi:
            from PySide6.QtMultimediaWidgets import QVideoWidget  # noqa: PLC0415

            widget = QVideoWidget(self)
            widget.setAspectRatioMode(Qt.AspectRatioMode.KeepAspectRatio)
            palette = widget.palette()
            palette.setColor(QPalette.ColorRole.Window, QColor(0, 0, 0))
            widget.setPalette(palette)
            widget.setAutoFillBackground(True)
            self.video_widget = widget
            layout.addWidget(widget)
        else:
            self.view = VideoView(self)
            layout.addWidget(self.view)

    def sizeHint(self) -> QSize:
        return QSize(480, 270)

    def video_sink(self) -> QVideoSink | None:
        return self.video_widget.videoSink() if self.video_widget is not None else None

    def set_frame(self, frame: QVideoFrame | None) -> None:
        """The frame to show (sink path); on the RHI path only remembered for screenshots."""
        self._frame = frame
        if self.view is not None:
            self.view.set_frame(frame)

    def current_image(self) -> QImage | None:
        """The picture being shown, converted on demand (tests, screenshots), or None."""
        if self.view is not None:
            return self.view.current_image()
        if self._frame is None or not self._frame.isValid():
            return None
        return self._frame.toImage()
